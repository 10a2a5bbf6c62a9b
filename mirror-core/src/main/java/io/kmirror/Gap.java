package io.kmirror;

import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/**
 * Source records that vanished before the mirror copied them, as {@link GapPolicy} reports them.
 *
 * @param kind        what removed them
 * @param partition   the source partition; for {@link Kind#RECREATED} the partition number is {@code -1}
 *                    (the whole topic)
 * @param fromOffset  the first missing offset (inclusive), or {@code -1} when unknown ({@link Kind#RECREATED})
 * @param toOffset    the offset the mirror goes on from (exclusive end of the gap), or {@code -1} when unknown
 * @param detectedAt  when the mirror noticed
 * @param description one line for logs and operators, naming the topic, partition and range
 */
public record Gap(Kind kind, TopicPartition partition, long fromOffset, long toOffset, Instant detectedAt,
        String description) {

    /** What made the records vanish. */
    public enum Kind {
        /** The log start moved past the mirror's position (retention, {@code deleteRecords}). */
        RETENTION,
        /** The mirror's position lies past the log end: the log was truncated (unclean leader election). */
        TRUNCATION,
        /** The source topic was deleted and recreated under the same name (its topic id changed). */
        RECREATED
    }

    /** Checks the arguments. */
    public Gap {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(detectedAt, "detectedAt");
        Objects.requireNonNull(description, "description");
    }

    /** Records {@code [fromOffset, toOffset)} of {@code partition} were deleted or truncated before they were mirrored. */
    public static Gap of(Kind kind, TopicPartition partition, long fromOffset, long toOffset, Instant detectedAt) {
        String what = kind == Kind.RETENTION
                ? "were deleted (retention or deleteRecords) before they were mirrored"
                : "were truncated from the source log (unclean leader election?) before or after they were mirrored";
        return new Gap(kind, partition, fromOffset, toOffset, detectedAt, "source partition " + partition + ": records ["
                + fromOffset + ", " + toOffset + ") " + what);
    }
}
