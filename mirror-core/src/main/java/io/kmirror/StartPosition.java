package io.kmirror;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a mirror starts reading a source partition that its group has no committed offset for (a new
 * mirror, or a partition it never mirrored): {@link #earliest()} (the default), {@link #latest()} or the
 * first record at or after a {@link #timestamp(Instant) point in time}. A partition the group has an
 * offset for always resumes from it; a committed offset the source no longer has is a gap
 * ({@link GapPolicy}), never a new start.
 */
public final class StartPosition {

    private enum Kind { EARLIEST, LATEST, TIMESTAMP }

    private static final StartPosition EARLIEST = new StartPosition(Kind.EARLIEST, null);
    private static final StartPosition LATEST = new StartPosition(Kind.LATEST, null);

    private final Kind kind;
    private final Instant timestamp;

    private StartPosition(Kind kind, Instant timestamp) {
        this.kind = kind;
        this.timestamp = timestamp;
    }

    /** From the oldest record the source still has. The default. */
    public static StartPosition earliest() {
        return EARLIEST;
    }

    /** From the records written after the partition was assigned: what is there already is not mirrored. */
    public static StartPosition latest() {
        return LATEST;
    }

    /**
     * From the first record whose timestamp is at or after {@code time}, in every partition (from the end
     * where no record is that recent).
     */
    public static StartPosition timestamp(Instant time) {
        return new StartPosition(Kind.TIMESTAMP, Objects.requireNonNull(time, "time"));
    }

    /** Whether this is {@link #earliest()}. */
    public boolean isEarliest() {
        return kind == Kind.EARLIEST;
    }

    /** Whether this is {@link #latest()}. */
    public boolean isLatest() {
        return kind == Kind.LATEST;
    }

    /** The point in time of a {@link #timestamp(Instant)} position; empty for the others. */
    public Optional<Instant> time() {
        return Optional.ofNullable(timestamp);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StartPosition that && kind == that.kind && Objects.equals(timestamp, that.timestamp);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, timestamp);
    }

    /** {@code earliest()}, {@code latest()} or {@code timestamp(<ISO instant>)}. */
    @Override
    public String toString() {
        return switch (kind) {
            case EARLIEST -> "earliest()";
            case LATEST -> "latest()";
            case TIMESTAMP -> "timestamp(" + timestamp + ")";
        };
    }
}
