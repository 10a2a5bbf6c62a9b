package io.kmirror;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * An immutable snapshot of a mirror's counters, taken by {@link Mirror#metrics()}.
 *
 * @param takenAt            when the snapshot was taken
 * @param recordsMirrored    records the destination acknowledged since the mirror started
 * @param bytesMirrored      key and value bytes of those records
 * @param recordsDropped     records a {@link RecordTransformer} dropped
 * @param recordsSkipped     records the destination refused for good and that were skipped under
 *                           {@link SendFailurePolicy#SKIP}: they are not on the destination
 * @param lag                per source partition assigned to this mirror: records at the source not yet
 *                           fetched, as last seen by the stream that owns the partition
 * @param committedOffsets   per source partition assigned to this mirror: the last offset committed
 *                           (every record below it is on the destination)
 * @param skippedTopics      source topics left out under {@link TopicErrorPolicy#SKIP_TOPIC}, with the reason
 * @param oversizedDestinationTopics destination topics with more partitions than their source topic
 *                           (never shrunk; records keep their partition numbers)
 * @param gaps               source records that vanished before they were mirrored and that the mirror
 *                           went past under {@link GapPolicy#RECORD_AND_CONTINUE}, oldest first
 */
public record MirrorMetrics(
        Instant takenAt,
        long recordsMirrored,
        long bytesMirrored,
        long recordsDropped,
        long recordsSkipped,
        Map<TopicPartition, Long> lag,
        Map<TopicPartition, Long> committedOffsets,
        Map<String, String> skippedTopics,
        Set<String> oversizedDestinationTopics,
        List<Gap> gaps) {

    /** Copies the maps, so the snapshot stays as it was. */
    public MirrorMetrics {
        lag = Map.copyOf(lag);
        committedOffsets = Map.copyOf(committedOffsets);
        skippedTopics = Map.copyOf(skippedTopics);
        oversizedDestinationTopics = Set.copyOf(oversizedDestinationTopics);
        gaps = List.copyOf(gaps);
    }

    /** The sum of {@link #lag()} over this mirror's partitions. */
    public long totalLag() {
        return lag.values().stream().mapToLong(Long::longValue).sum();
    }
}
