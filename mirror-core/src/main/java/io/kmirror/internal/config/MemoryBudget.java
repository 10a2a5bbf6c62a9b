package io.kmirror.internal.config;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Sizes the clients' buffers from the JVM's maximum heap, so that Kafka's defaults (a 50 MiB fetch per
 * consumer, 32 MiB of buffer per producer) cannot take more than the heap holds: a quarter of the heap
 * goes to the streams' fetches and producer buffers, split evenly, never more than Kafka's defaults.
 * Exactly-once runs one producer per source partition, each of which keeps the batches it once used
 * pooled: those get 64 KiB batches and only the buffer their largest record needs. Keys the
 * user set are never changed (the caller puts these under them).
 */
public final class MemoryBudget {

    static final long MIB = 1L << 20;
    /** Kafka's defaults, the most kmirror gives a client. */
    static final long KAFKA_FETCH_MAX_BYTES = 50 * MIB;
    static final long KAFKA_BUFFER_MEMORY = 32 * MIB;
    static final long KAFKA_MAX_REQUEST_SIZE = MIB;
    /** The least a stream's consumer fetches and its producer buffers, however small the heap. */
    static final long MIN_FETCH_MAX_BYTES = MIB;
    static final long MIN_BUFFER_MEMORY = 4 * MIB;
    /**
     * The batch size of exactly-once's per-partition producers. The benchmark (8 partitions, 1 KiB records, one
     * run each): 16 KiB gave 16,293 records/s steady and a p99 of seconds at 20,000 records/s (the mirror fell
     * behind); 64 KiB 29,575 records/s, p50 40 / p99 280 ms; 128 KiB 34,225, p50 20 / p99 342 ms; 256 KiB
     * 37,462. 64 KiB keeps a thousand busy producers within 64 MiB of batches.
     */
    public static final int PARTITION_BATCH_SIZE = 64 * 1024;

    private final long heapBytes;
    private final int streams;

    /** A budget for {@code streams} streams in a heap of at most {@code heapBytes} ({@link Runtime#maxMemory()}). */
    MemoryBudget(long heapBytes, int streams) {
        this.heapBytes = heapBytes;
        this.streams = Math.max(1, streams);
    }

    /** The budget of this JVM's heap. */
    static MemoryBudget ofThisJvm(int streams) {
        return new MemoryBudget(Runtime.getRuntime().maxMemory(), streams);
    }

    /** A stream's share: half of it for its consumer's fetches, half for its producer's buffer. */
    private long perStreamHalf() {
        return heapBytes / 4 / streams / 2;
    }

    /** The consumer's {@code fetch.max.bytes}. */
    long fetchMaxBytes() {
        return clamp(perStreamHalf(), MIN_FETCH_MAX_BYTES, KAFKA_FETCH_MAX_BYTES);
    }

    /** The at-least-once producer's {@code buffer.memory} (one producer per stream). */
    long bufferMemory(Map<String, Object> user) {
        return Math.max(clamp(perStreamHalf(), MIN_BUFFER_MEMORY, KAFKA_BUFFER_MEMORY), largestRecord(user));
    }

    /**
     * An exactly-once partition producer's {@code buffer.memory}: room for its largest record
     * ({@code max.request.size}) and a batch. Its records come from one source partition, whose fetches
     * the stream's budget already bounds.
     */
    static long partitionBufferMemory(Map<String, Object> user) {
        return largestRecord(user) + number(user, ProducerConfig.BATCH_SIZE_CONFIG, PARTITION_BATCH_SIZE);
    }

    /**
     * A slot producer's {@code buffer.memory} when exactly-once writes through {@code slots} slots: an even
     * share of the eighth of the heap that at-least-once gives its producers, at least a partition producer's,
     * at most Kafka's default. Each of a slot's two producers gets the whole share: the one committing holds only
     * the batches it is flushing. (Measured at 2,000 partitions with 4 slots and {@code -Xmx256m}: half the share
     * kept the stream threads waiting for buffer space, 0.80x the records/s.)
     */
    long slotBufferMemory(Map<String, Object> user, int slots) {
        return clamp(heapBytes / 8 / Math.max(1, slots), partitionBufferMemory(user), Math.max(KAFKA_BUFFER_MEMORY, partitionBufferMemory(user)));
    }

    /** Kafka refuses a record larger than {@code buffer.memory}: it must hold {@code max.request.size}. */
    private static long largestRecord(Map<String, Object> user) {
        return number(user, ProducerConfig.MAX_REQUEST_SIZE_CONFIG, KAFKA_MAX_REQUEST_SIZE);
    }

    /** What the defaults layer gets, for the consumer. */
    void consumerDefaults(Map<String, Object> defaults) {
        defaults.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, (int) fetchMaxBytes());
    }

    private static long number(Map<String, Object> user, String key, long fallback) {
        Object value = user.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            return fallback; // the client reports the bad value itself
        }
    }

    private static long clamp(long value, long min, long max) {
        return Math.max(min, Math.min(max, value));
    }

    @Override
    public String toString() {
        return "MemoryBudget{heap " + heapBytes / MIB + " MiB, " + streams + " streams: fetch.max.bytes " + fetchMaxBytes() / MIB
                + " MiB}";
    }
}
