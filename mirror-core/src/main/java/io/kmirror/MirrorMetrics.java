package io.kmirror;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * An immutable snapshot of a mirror's counters, taken by {@link Mirror#metrics()}. The same figures are
 * reported over JMX (see the README's metrics section) and by {@link MirrorMeterBinder}.
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
 * @param timeLag            per source partition assigned to this mirror: how far behind the destination is,
 *                           as the age of the oldest record the mirror has read but the destination has not
 *                           yet acknowledged (with exactly-once: committed); zero when caught up
 * @param replicationLatency time from a record's source timestamp to the destination's acknowledgement,
 *                           over the last 30 to 60 seconds
 * @param gaps               source records that vanished before they were mirrored and that the mirror
 *                           went past under {@link GapPolicy#RECORD_AND_CONTINUE}, oldest first
 * @param recordsAlreadyAtDestination records not sent because their provenance says they were written to the
 *                           destination cluster before (loop prevention, see {@link Provenance})
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
        Map<TopicPartition, Duration> timeLag,
        Latency replicationLatency,
        List<Gap> gaps,
        long recordsAlreadyAtDestination) {

    /** Copies the maps, so the snapshot stays as it was. */
    public MirrorMetrics {
        // per-partition maps as hash maps: Map.copyOf's open addressing probes long runs when thousands of
        // partitions of similarly named topics have clustered hash codes (a third of the CPU at 2,000 partitions)
        lag = Collections.unmodifiableMap(new HashMap<>(lag));
        committedOffsets = Collections.unmodifiableMap(new HashMap<>(committedOffsets));
        skippedTopics = Map.copyOf(skippedTopics);
        oversizedDestinationTopics = Set.copyOf(oversizedDestinationTopics);
        timeLag = Collections.unmodifiableMap(new HashMap<>(timeLag));
        gaps = List.copyOf(gaps);
    }

    /**
     * A snapshot without time lag and latency figures (as snapshots were before they were added).
     *
     * @deprecated use the canonical constructor
     */
    @Deprecated
    public MirrorMetrics(Instant takenAt, long recordsMirrored, long bytesMirrored, long recordsDropped, long recordsSkipped,
            Map<TopicPartition, Long> lag, Map<TopicPartition, Long> committedOffsets, Map<String, String> skippedTopics,
            Set<String> oversizedDestinationTopics) {
        this(takenAt, recordsMirrored, bytesMirrored, recordsDropped, recordsSkipped, lag, committedOffsets, skippedTopics,
                oversizedDestinationTopics, Map.of(), Latency.UNKNOWN, List.of(), 0);
    }

    /** The sum of {@link #lag()} over this mirror's partitions. */
    public long totalLag() {
        return lag.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The largest {@link #timeLag()} over this mirror's partitions: how many seconds behind the destination is. */
    public Duration maxTimeLag() {
        return timeLag.values().stream().max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /**
     * Latency figures in milliseconds, each {@code NaN} when no record was measured in the window (or the
     * per-record metrics are off, see {@link MirrorBuilder#metricsRecordingLevel}).
     *
     * <p>The source timestamp is the record's {@code CreateTime} or {@code LogAppendTime} at the source, as
     * passed through to the destination; on a destination topic with {@code message.timestamp.type=LogAppendTime}
     * the destination's append time replaces it, and the latency measures only the last hop. Percentiles
     * are exact to about a millisecond near 10 ms and count a latency above 120 s as 120 s.
     *
     * @param avgMs average
     * @param maxMs maximum
     * @param p50Ms median
     * @param p99Ms 99th percentile
     */
    public record Latency(double avgMs, double maxMs, double p50Ms, double p99Ms) {

        /** No figures. */
        public static final Latency UNKNOWN = new Latency(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
}
