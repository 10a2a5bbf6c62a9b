package io.kmirror.internal.stream;

import io.kmirror.internal.config.MemoryBudget;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Exactly-once's per-partition producers, counted against the heap of the process: a mirror assigned more
 * source partitions than half its heap holds producers for stops at the assignment with an error that
 * says what to change, instead of running out of memory in the producers' threads later. Shared by the
 * streams of one mirror; thread-safe.
 *
 * <p>The cost of one transactional producer, measured with kafka-clients 4 (client telemetry off): about
 * {@value #PRODUCER_BYTES} bytes of heap (its metrics and connections, 164 KiB, and a pooled batch of
 * {@code MemoryBudget.PARTITION_BATCH_SIZE}) plus about
 * {@value #BYTES_PER_TOPIC_PARTITION} bytes for each partition of the destination topic it writes to,
 * since every producer holds its topic's metadata; and one thread with its stack (about 0.3 MiB of
 * resident memory outside the heap).
 */
public final class ProducerHeapBudget {

    static final long PRODUCER_BYTES = 164 * 1024 + MemoryBudget.PARTITION_BATCH_SIZE;
    static final long BYTES_PER_TOPIC_PARTITION = 480;

    private final long limitBytes;
    private final String groupId;
    private final ToIntFunction<String> topicPartitions;
    private final Map<TopicPartition, Long> reserved = new ConcurrentHashMap<>();

    /**
     * @param heapBytes       the process's maximum heap ({@link Runtime#maxMemory()}); half of it may go to producers
     * @param topicPartitions the partitions of a source topic's destination topic
     */
    public ProducerHeapBudget(long heapBytes, String groupId, ToIntFunction<String> topicPartitions) {
        this.limitBytes = heapBytes / 2;
        this.groupId = groupId;
        this.topicPartitions = topicPartitions;
    }

    /** The estimated heap of the producer of source partition {@code tp}. */
    long cost(TopicPartition tp) {
        return PRODUCER_BYTES + BYTES_PER_TOPIC_PARTITION * Math.max(1, topicPartitions.applyAsInt(tp.topic()));
    }

    /**
     * Counts the producers of {@code partitions}.
     *
     * @throws KafkaException when the process's producers would need more than half its heap
     */
    public synchronized void reserve(Collection<TopicPartition> partitions) {
        long more = 0;
        for (TopicPartition tp : partitions) {
            if (!reserved.containsKey(tp)) {
                more += cost(tp);
            }
        }
        long total = total() + more;
        if (total > limitBytes) {
            int count = reserved.size() + (int) partitions.stream().filter(tp -> !reserved.containsKey(tp)).count();
            throw new KafkaException("exactly-once runs one transactional producer per source partition, about " + mib(total / count)
                    + " MiB of heap each here (" + PRODUCER_BYTES / 1024 + " KiB plus " + BYTES_PER_TOPIC_PARTITION
                    + " bytes per partition of its destination topic); this process was assigned " + count + " partitions,"
                    + " about " + mib(total) + " MiB, more than half of its " + mib(limitBytes * 2) + " MiB heap: give the JVM"
                    + " more heap (-Xmx" + Math.max(1, (total * 2 + (1L << 30) - 1) >> 30) + "g or more), run more mirror"
                    + " processes in group " + groupId + " so that each owns fewer partitions, or use AT_LEAST_ONCE");
        }
        partitions.forEach(tp -> reserved.computeIfAbsent(tp, this::cost));
    }

    /** The producers of {@code partitions} are closed. */
    public void release(Collection<TopicPartition> partitions) {
        partitions.forEach(reserved::remove);
    }

    private long total() {
        return reserved.values().stream().mapToLong(Long::longValue).sum();
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f", bytes / 1048576.0);
    }
}
