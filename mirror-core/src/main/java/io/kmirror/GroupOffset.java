package io.kmirror;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;

/**
 * Where one partition of a consumer group stands on the source, and where that position is on the
 * destination: one line of a group's failover plan ({@link OffsetTranslator#translateGroup}).
 *
 * @param source              the source partition
 * @param sourcePosition      the group's committed position on the source: the next record it would read
 * @param destination         the destination partition the source partition is mirrored to; empty when the
 *                            mirror has not mapped it (not mirrored, or mirrored by key hash into several)
 * @param destinationPosition where a reader on the destination continues to read exactly the rest; empty
 *                            while the mirror has not copied the source that far ("not yet")
 * @param destinationEnd      the destination partition's end offset when the plan was made; -1 if unknown
 * @param destinationCommitted the group's committed offset on the destination now; empty if none
 */
public record GroupOffset(TopicPartition source, long sourcePosition, Optional<TopicPartition> destination,
        OptionalLong destinationPosition, long destinationEnd, OptionalLong destinationCommitted) {

    /** Checks that the parts are there. */
    public GroupOffset {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(destinationPosition, "destinationPosition");
        Objects.requireNonNull(destinationCommitted, "destinationCommitted");
    }

    /** Records the group has left to read on the destination from the translated position; -1 when not known. */
    public long lag() {
        return destinationPosition.isPresent() && destinationEnd >= 0
                ? Math.max(0, destinationEnd - destinationPosition.getAsLong()) : -1;
    }

    /**
     * Whether applying this line moves the group: it has a translated position, past the group's current
     * destination offset (a group is never moved backwards).
     */
    public boolean movesForward() {
        return destinationPosition.isPresent() && (destinationCommitted.isEmpty()
                || destinationCommitted.getAsLong() < destinationPosition.getAsLong());
    }
}
