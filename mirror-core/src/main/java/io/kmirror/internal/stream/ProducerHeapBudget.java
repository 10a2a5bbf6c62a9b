package io.kmirror.internal.stream;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.apache.kafka.common.TopicPartition;

/**
 * One stream's share of the producers exactly-once may open: half the process's heap and
 * {@code maxOpenTransactions}, split evenly between the streams (so that no stream waits for
 * another's). A partition may open its producer while there is room; the others wait their turn
 * ({@link ProducerTurns}) instead of running the process out of memory in the producers' threads.
 * Used from its stream's thread.
 *
 * <p>The cost of one transactional producer, measured with kafka-clients 4 (client telemetry off): about
 * {@value #PRODUCER_BYTES} bytes of heap (its metrics and connections), its {@code buffer.memory} (a
 * producer keeps the batches it allocated pooled, and a busy one fills its buffer: 2,000 producers of 200
 * records each ran a 256 MiB heap out of memory when only one batch each was counted), and about
 * {@value #BYTES_PER_TOPIC_PARTITION} bytes for each partition of the destination topic it writes to,
 * since every producer holds its topic's metadata; and one thread with its stack (about 0.3 MiB of
 * resident memory outside the heap). A partition has {@link TransactionSlots#PRODUCERS_PER_SLOT} producers.
 */
public final class ProducerHeapBudget {

    static final long PRODUCER_BYTES = 164 * 1024;
    static final long BYTES_PER_TOPIC_PARTITION = 480;

    private final long limitBytes;
    private final int maxOpen;
    private final long heapBytes;
    private final long bufferMemory;
    private final ToIntFunction<String> topicPartitions;
    private final Map<TopicPartition, Long> reserved = new HashMap<>();
    private long reservedBytes;

    private ProducerHeapBudget(long heapBytes, long limitBytes, int maxOpen, long bufferMemory,
            ToIntFunction<String> topicPartitions) {
        this.heapBytes = heapBytes;
        this.bufferMemory = bufferMemory;
        this.limitBytes = limitBytes;
        this.maxOpen = maxOpen;
        this.topicPartitions = topicPartitions;
    }

    /**
     * Stream {@code stream}'s share.
     *
     * @param heapBytes       the process's maximum heap ({@link Runtime#maxMemory()}); half of it may go to producers
     * @param maxOpen         at most this many producers open at once in the process; 0 for as many as the heap holds
     * @param bufferMemory    the producers' {@code buffer.memory}
     * @param topicPartitions the partitions of a source topic's destination topic
     */
    public static ProducerHeapBudget forStream(long heapBytes, int maxOpen, int streams, int stream, long bufferMemory,
            ToIntFunction<String> topicPartitions) {
        int share = maxOpen == 0 ? 0 : Math.max(1, maxOpen / streams + (stream < maxOpen % streams ? 1 : 0));
        return new ProducerHeapBudget(heapBytes, heapBytes / 2 / streams, share, bufferMemory, topicPartitions);
    }

    /** No bound: with transaction slots a stream opens one producer per slot it owns, however many partitions. */
    public static ProducerHeapBudget unbounded() {
        return new ProducerHeapBudget(Long.MAX_VALUE, Long.MAX_VALUE, 0, 0, topic -> 1);
    }

    /** The estimated heap of the producers of source partition {@code tp}. */
    long cost(TopicPartition tp) {
        long producer = PRODUCER_BYTES + bufferMemory + BYTES_PER_TOPIC_PARTITION * Math.max(1, topicPartitions.applyAsInt(tp.topic()));
        return TransactionSlots.PRODUCERS_PER_SLOT * producer;
    }

    /**
     * Counts the producer of {@code tp} if there is room for it, or if none is open (a producer larger than the
     * whole share still opens, one at a time).
     *
     * @return whether {@code tp} may open its producer; true if it is counted already
     */
    boolean tryReserve(TopicPartition tp) {
        if (reserved.containsKey(tp)) {
            return true;
        }
        long cost = cost(tp);
        if (!reserved.isEmpty() && (reservedBytes + cost > limitBytes || maxOpen > 0 && reserved.size() >= maxOpen)) {
            return false;
        }
        reserved.put(tp, cost);
        reservedBytes += cost;
        return true;
    }

    /** The producer of {@code tp} is closed (nothing if it was not counted). */
    void release(TopicPartition tp) {
        Long cost = reserved.remove(tp);
        if (cost != null) {
            reservedBytes -= cost;
        }
    }

    /** What bounds the open producers, for a log line. */
    String describe(TopicPartition example) {
        String heap = "what fits in " + mib(limitBytes) + " MiB, its share of half the " + mib(heapBytes) + " MiB heap (about "
                + mib(cost(example)) + " MiB a partition of " + example.topic() + ", two producers)";
        return maxOpen == 0 ? heap : "at most " + maxOpen + " partitions' producers (its share of maxOpenTransactions) and " + heap;
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
    }
}
