package io.kmirror.internal;

import io.kmirror.Gap;
import io.kmirror.MirrorMetrics;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/** A mirror's counters, written by its threads and read as {@link MirrorMetrics} snapshots. Thread-safe. */
public final class MirrorCounters {

    /** How many gaps {@link MirrorMetrics#gaps()} keeps. */
    static final int MAX_GAPS = 1_000;

    private final LongAdder records = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final Map<TopicPartition, Long> lag = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> committed = new ConcurrentHashMap<>();
    private volatile Map<String, String> skippedTopics = Map.of();
    private volatile Set<String> oversizedDestinationTopics = Set.of();
    private final List<Gap> gaps = new CopyOnWriteArrayList<>();

    /** A record was acknowledged by the destination. Called on the producer's I/O thread. */
    public void acknowledged(RecordMetadata metadata) {
        records.increment();
        bytes.add(Math.max(0, metadata.serializedKeySize()) + Math.max(0, metadata.serializedValueSize()));
    }

    /** A transformer dropped a record. */
    public void dropped() {
        dropped.increment();
    }

    /** A record the destination refused was skipped; returns how many have been so far. */
    public long skipped() {
        skipped.increment();
        return skipped.sum();
    }

    /** The lag of {@code partition} as its stream last saw it. */
    public void lag(TopicPartition partition, long records) {
        lag.put(partition, records);
    }

    /** {@code offset} was committed for {@code partition}. */
    public void committed(TopicPartition partition, long offset) {
        committed.merge(partition, offset, Math::max);
    }

    /** The partitions left this mirror. */
    public void removed(Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> {
            lag.remove(tp);
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

    /** A snapshot. */
    public MirrorMetrics snapshot() {
        return new MirrorMetrics(Instant.now(), records.sum(), bytes.sum(), dropped.sum(), skipped.sum(), Map.copyOf(lag), Map.copyOf(committed),
                skippedTopics, oversizedDestinationTopics, List.copyOf(gaps));
    }
}
