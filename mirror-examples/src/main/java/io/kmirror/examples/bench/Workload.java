package io.kmirror.examples.bench;

import io.kmirror.testkit.EmbeddedKafkaCluster;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The benchmark's records: values of {@code recordSize} bytes (random, so compression gains nothing,
 * with the record's sequence number in the first 8 bytes), keys drawn from {@code keys} distinct ones,
 * {@code headers} headers of 16 bytes each; reproducible (fixed seed). Not thread-safe.
 */
final class Workload {

    private static final int NOISE_BYTES = 1 << 20;
    private static final int HEADER_BYTES = 16;

    private final int recordSize;
    private final int headers;
    private final byte[][] keys;
    private final byte[] noise = new byte[NOISE_BYTES];
    private final Random random = new Random(42);

    Workload(int recordSize, int keys, int headers) {
        this.recordSize = recordSize;
        this.headers = headers;
        random.nextBytes(noise);
        this.keys = new byte[keys][];
        for (int i = 0; i < keys; i++) {
            this.keys[i] = String.format("key-%07d", i).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Record number {@code seq}, for {@code topic}; the broker picks the partition by the key's hash. */
    ProducerRecord<byte[], byte[]> record(String topic, long seq) {
        byte[] value = new byte[recordSize];
        int from = random.nextInt(NOISE_BYTES - recordSize);
        System.arraycopy(noise, from, value, 0, recordSize);
        ByteBuffer.wrap(value).putLong(0, seq);
        RecordHeaders recordHeaders = new RecordHeaders();
        for (int h = 0; h < headers; h++) {
            byte[] header = new byte[HEADER_BYTES];
            System.arraycopy(noise, random.nextInt(NOISE_BYTES - HEADER_BYTES), header, 0, HEADER_BYTES);
            recordHeaders.add("bench-h" + h, header);
        }
        return new ProducerRecord<>(topic, null, null, keys[random.nextInt(keys.length)], value, recordHeaders);
    }

    /** The sequence number a value of {@link #record} carries. */
    static long sequence(byte[] value) {
        return ByteBuffer.wrap(value).getLong(0);
    }

    /** A producer for loading the source as fast as it takes it. */
    static KafkaProducer<byte[], byte[]> producer(EmbeddedKafkaCluster cluster, Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L << 20);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-loader");
        config.putAll(overrides);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Creates {@code topics} with {@code partitions} partitions each and writes {@code count} records to them,
     * one topic after the other in turn, returning once all are acknowledged.
     *
     * @return the key and value bytes written (what a mirror's byte counters count)
     */
    long preload(EmbeddedKafkaCluster cluster, List<String> topics, int partitions, long count) {
        topics.forEach(topic -> cluster.createTopic(topic, partitions));
        AtomicReference<Exception> failure = new AtomicReference<>();
        Callback callback = (metadata, exception) -> {
            if (exception != null) {
                failure.compareAndSet(null, exception);
            }
        };
        long bytes = 0;
        try (KafkaProducer<byte[], byte[]> producer = producer(cluster, Map.of())) {
            for (long seq = 0; seq < count && failure.get() == null; seq++) {
                ProducerRecord<byte[], byte[]> record = record(topics.get((int) (seq % topics.size())), seq);
                bytes += record.key().length + record.value().length;
                producer.send(record, callback);
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("loading " + topics + " failed: " + failure.get(), failure.get());
        }
        return bytes;
    }
}
