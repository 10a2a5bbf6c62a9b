package io.kmirror.internal;

import io.kmirror.Gap;
import io.kmirror.MirrorBuilder;
import io.kmirror.MirrorMetrics;
import io.kmirror.internal.metrics.MirrorSensors;
import io.kmirror.internal.metrics.PartitionMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.Sensor.RecordingLevel;

/**
 * A mirror's counters, written by its threads and read as {@link MirrorMetrics} snapshots and, through
 * {@link MirrorSensors}, as Kafka metrics (JMX, Micrometer). Thread-safe.
 */
public final class MirrorCounters {

    /** How many gaps {@link MirrorMetrics#gaps()} keeps. */
    static final int MAX_GAPS = 1_000;

    private static final long RATE_REPORT_NANOS = 100_000_000L;

    private final MirrorSensors sensors;
    private final LongAdder records = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder alreadyAtDestination = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final Map<TopicPartition, PartitionMetrics> partitions = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> committed = new ConcurrentHashMap<>();
    /** Guards the rates' last report; taken every 100 ms per stream, never per record. */
    private final Object rateLock = new Object();
    private long recordsReported;
    private long bytesReported;
    private long ratesReportedNanos = System.nanoTime();
    private volatile Map<String, String> skippedTopics = Map.of();
    private volatile Set<String> oversizedDestinationTopics = Set.of();
    private final List<Gap> gaps = new CopyOnWriteArrayList<>();

    /** Counters with every sensor, for a mirror of the default group. */
    public MirrorCounters() {
        this(new MirrorSensors(MirrorBuilder.DEFAULT_GROUP_ID, RecordingLevel.DEBUG));
    }

    /** Counters that report through {@code sensors}. */
    public MirrorCounters(MirrorSensors sensors) {
        this.sensors = sensors;
        sensors.gauge(MirrorSensors.RECORDS_MIRRORED_TOTAL, "Records the destination acknowledged", records::sum);
        sensors.gauge(MirrorSensors.BYTES_MIRRORED_TOTAL, "Key and value bytes of those records", bytes::sum);
        sensors.gauge(MirrorSensors.RECORDS_SKIPPED_TOTAL, "Records the destination refused and that were skipped"
                + " (onSendFailure SKIP)", skipped::sum);
        sensors.gauge(MirrorSensors.RECORDS_DROPPED_TOTAL, "Records the record transformer dropped", dropped::sum);
        sensors.gauge(MirrorSensors.RECORDS_ALREADY_AT_DESTINATION_TOTAL, "Records not sent because they were written to the"
                + " destination cluster before (loop prevention)", alreadyAtDestination::sum);
        sensors.gauge(MirrorSensors.RECORDS_LAG_MAX, "The largest records-lag of the mirror's partitions",
                () -> partitions.values().stream().mapToLong(PartitionMetrics::lag).max().orElse(0));
        sensors.gauge(MirrorSensors.TIME_LAG_MAX_MS, "The largest time-lag-ms of the mirror's partitions", () -> {
            long now = System.currentTimeMillis();
            return partitions.values().stream().mapToLong(p -> p.timeLagMillis(now)).max().orElse(0);
        });
        sensors.gauge(MirrorSensors.TOPICS, "Source topics with a partition assigned to this mirror",
                () -> partitions.keySet().stream().map(TopicPartition::topic).distinct().count());
        sensors.gauge(MirrorSensors.PARTITIONS, "Source partitions assigned to this mirror", partitions::size);
    }

    /** The metrics these counters report through. */
    public MirrorSensors sensors() {
        return sensors;
    }

    /** A stream took part in a rebalance and was assigned {@code assigned} (perhaps none). */
    public void assigned(Collection<TopicPartition> assigned) {
        sensors.rebalanced();
        assigned.forEach(this::partition);
    }

    /** A stream read {@code polled}; called before they are sent. */
    public void read(ConsumerRecords<byte[], byte[]> polled) {
        for (TopicPartition tp : polled.partitions()) {
            partition(tp).read(polled.records(tp).get(0).timestamp());
        }
    }

    /** A record of {@code source} was acknowledged by the destination. Called on the producer's I/O thread. */
    public void acknowledged(TopicPartition source, RecordMetadata metadata) {
        int size = Math.max(0, metadata.serializedKeySize()) + Math.max(0, metadata.serializedValueSize());
        records.increment();
        bytes.add(size);
        if (sensors.perRecord()) {
            PartitionMetrics partition = partitions.get(source); // absent once the partition left: not recreated
            if (partition != null) {
                partition.acknowledged(metadata.timestamp());
            }
        }
    }

    /** A transformer dropped a record. */
    public void dropped() {
        dropped.increment();
    }

    /** A record was not sent because it was written to the destination cluster before (loop prevention). */
    public void alreadyAtDestination() {
        alreadyAtDestination.increment();
    }

    /** A record the destination refused was skipped; returns how many have been so far. */
    public long skipped() {
        skipped.increment();
        return skipped.sum();
    }

    /**
     * The lag of {@code partition} as its stream last saw it: {@code records} not yet read, and the source
     * timestamp of the oldest record sent but not acknowledged (empty if none is in flight).
     */
    public void lag(TopicPartition partition, long records, OptionalLong oldestUnacknowledged) {
        partition(partition).update(records, oldestUnacknowledged);
        reportRates();
    }

    /** Feeds what was mirrored since the last report to the rate sensors, at most every 100 ms. */
    private void reportRates() {
        synchronized (rateLock) {
            long now = System.nanoTime();
            if (now - ratesReportedNanos < RATE_REPORT_NANOS) {
                return;
            }
            ratesReportedNanos = now;
            long recordsNow = records.sum();
            long bytesNow = bytes.sum();
            sensors.mirrored(recordsNow - recordsReported, bytesNow - bytesReported);
            recordsReported = recordsNow;
            bytesReported = bytesNow;
        }
    }

    /** {@code offset} was committed for {@code partition}. */
    public void committed(TopicPartition partition, long offset) {
        committed.merge(partition, offset, Math::max);
    }

    /** A commit of offsets took {@code millis}. */
    public void commitTook(long millis) {
        sensors.commitTook(millis);
    }

    /** The partitions left this mirror. */
    public void removed(Collection<TopicPartition> removed) {
        removed.forEach(tp -> {
            PartitionMetrics partition = partitions.remove(tp);
            if (partition != null) {
                partition.close();
            }
            committed.remove(tp);
        });
    }

    /** The topics the last topic scan left out, with the reason, and the destination topics larger than their source. */
    public void topics(Map<String, String> skipped, Set<String> oversized) {
        skippedTopics = Map.copyOf(skipped);
        oversizedDestinationTopics = Set.copyOf(oversized);
    }

    /** The mirror went past {@code gap} (GapPolicy.RECORD_AND_CONTINUE). The oldest are dropped past {@value #MAX_GAPS}. */
    public void gap(Gap gap) {
        gaps.add(gap);
        while (gaps.size() > MAX_GAPS) {
            gaps.remove(0);
        }
    }

    /** A snapshot. Its maps are built immutable once (the snapshot's constructor does not copy them again). */
    public MirrorMetrics snapshot() {
        Instant now = Instant.now();
        long nowMillis = now.toEpochMilli();
        List<Map.Entry<TopicPartition, Long>> lag = new ArrayList<>(partitions.size());
        List<Map.Entry<TopicPartition, Duration>> timeLag = new ArrayList<>(partitions.size());
        partitions.forEach((tp, p) -> {
            long records = p.lag();
            if (records >= 0) {
                lag.add(Map.entry(tp, records));
            }
            timeLag.add(Map.entry(tp, Duration.ofMillis(p.timeLagMillis(nowMillis))));
        });
        MirrorMetrics.Latency latency = new MirrorMetrics.Latency(sensors.value(MirrorSensors.REPLICATION_LATENCY_AVG),
                sensors.value(MirrorSensors.REPLICATION_LATENCY_MAX), sensors.value(MirrorSensors.REPLICATION_LATENCY_P50),
                sensors.value(MirrorSensors.REPLICATION_LATENCY_P99));
        return new MirrorMetrics(now, records.sum(), bytes.sum(), dropped.sum(), skipped.sum(), immutable(lag),
                Map.copyOf(committed), skippedTopics, oversizedDestinationTopics, immutable(timeLag), latency, List.copyOf(gaps),
                alreadyAtDestination.sum());
    }

    @SuppressWarnings("unchecked")
    private static <V> Map<TopicPartition, V> immutable(List<Map.Entry<TopicPartition, V>> entries) {
        return Map.ofEntries(entries.toArray(new Map.Entry[0]));
    }

    private PartitionMetrics partition(TopicPartition tp) {
        return partitions.computeIfAbsent(tp, sensors::partition);
    }
}
