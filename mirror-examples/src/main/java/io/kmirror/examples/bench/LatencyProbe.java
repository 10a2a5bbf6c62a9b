package io.kmirror.examples.bench;

import io.kmirror.testkit.EmbeddedKafkaCluster;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Measures replication latency: writes records at a fixed rate to a source topic whose timestamps are
 * {@code LogAppendTime}, keeping each record's source append time from the producer's acknowledgement;
 * then reads the destination topic (whose broker stamps {@code LogAppendTime} too) with a
 * {@code read_committed} consumer and takes, per record, destination append time minus source append
 * time. Both brokers run in this JVM, so both stamps come from one clock; the reading happens after
 * the fact and does not affect the stamps. Records of the first {@code warmupSeconds} are produced
 * but not measured.
 */
final class LatencyProbe {

    private static final long NO_TIME = Long.MIN_VALUE;
    private static final Duration READ_IDLE_LIMIT = Duration.ofSeconds(10);

    private final Workload workload;
    private final int rate;
    private final long warmupRecords;
    private final long[] sourceMs;
    private double achievedRate;

    LatencyProbe(Workload workload, int rate, int warmupSeconds, int seconds) {
        this.workload = workload;
        this.rate = rate;
        this.warmupRecords = (long) rate * warmupSeconds;
        this.sourceMs = new long[Math.toIntExact((long) rate * (warmupSeconds + seconds))];
    }

    /** How many records {@link #produce} writes. */
    long records() {
        return sourceMs.length;
    }

    /** Writes {@link #records()} records to {@code topic} at the fixed rate; returns once all are acknowledged. */
    void produce(EmbeddedKafkaCluster source, String topic) {
        Arrays.fill(sourceMs, NO_TIME);
        AtomicReference<Exception> failure = new AtomicReference<>();
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = Workload.producer(source, Map.of(ProducerConfig.LINGER_MS_CONFIG, 1,
                ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024, ProducerConfig.CLIENT_ID_CONFIG, "bench-latency"))) {
            for (int seq = 0; seq < sourceMs.length && failure.get() == null; seq++) {
                long due = start + seq * 1_000_000_000L / rate;
                while (System.nanoTime() < due) {
                    LockSupport.parkNanos(Math.min(due - System.nanoTime(), 200_000));
                }
                int sent = seq;
                producer.send(workload.record(topic, seq), (metadata, exception) -> {
                    if (exception != null) {
                        failure.compareAndSet(null, exception);
                    } else {
                        sourceMs[sent] = metadata.timestamp();
                    }
                });
            }
            producer.flush();
        }
        achievedRate = sourceMs.length / ((System.nanoTime() - start) / 1e9);
        if (failure.get() != null) {
            throw new IllegalStateException("writing the latency records failed: " + failure.get(), failure.get());
        }
    }

    /**
     * The largest latency of the records written in each second of the measured window, so that a
     * stall (a commit, a collection) shows where it happened.
     */
    private long[] maxPerSecond(long[] destinationMs) {
        int seconds = Math.max(1, (int) ((sourceMs.length - warmupRecords + rate - 1) / rate));
        long[] max = new long[seconds];
        Arrays.fill(max, -1);
        for (int seq = (int) warmupRecords; seq < sourceMs.length; seq++) {
            if (destinationMs[seq] != NO_TIME && sourceMs[seq] != NO_TIME) {
                int second = (int) Math.min(seconds - 1, (seq - warmupRecords) / rate);
                max[second] = Math.max(max[second], destinationMs[seq] - sourceMs[seq]);
            }
        }
        return max;
    }

    /** Reads {@code topic} on the destination and computes the latencies of the measured records. */
    LatencyFigures measure(EmbeddedKafkaCluster destination, String topic, String contender, int repetition,
            double contenderCpuSeconds, Duration timeout) {
        long[] destinationMs = new long[sourceMs.length];
        Arrays.fill(destinationMs, NO_TIME);
        long duplicates = 0;
        long found = 0;
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, destination.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.CLIENT_ID_CONFIG, "bench-latency-reader");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            long lastProgress = System.nanoTime();
            while (found < sourceMs.length && System.nanoTime() < deadline
                    && System.nanoTime() - lastProgress < READ_IDLE_LIMIT.toNanos()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    lastProgress = System.nanoTime();
                    if (record.timestampType() != TimestampType.LOG_APPEND_TIME) {
                        throw new IllegalStateException("destination topic " + topic + " has " + record.timestampType()
                                + " timestamps; the latency needs LogAppendTime");
                    }
                    int seq = Math.toIntExact(Workload.sequence(record.value()));
                    if (destinationMs[seq] == NO_TIME) {
                        destinationMs[seq] = record.timestamp();
                        found++;
                    } else {
                        duplicates++;
                    }
                }
            }
        }
        int measured = sourceMs.length - (int) warmupRecords;
        long[] latencies = new long[measured];
        int n = 0;
        long missing = 0;
        for (int seq = (int) warmupRecords; seq < sourceMs.length; seq++) {
            if (destinationMs[seq] == NO_TIME || sourceMs[seq] == NO_TIME) {
                missing++;
            } else {
                latencies[n++] = destinationMs[seq] - sourceMs[seq];
            }
        }
        long[] sorted = Stats.sorted(Arrays.copyOf(latencies, n));
        return new LatencyFigures(contender, repetition, measured, missing, duplicates, achievedRate,
                Stats.percentile(sorted, 50), Stats.percentile(sorted, 99), Stats.percentile(sorted, 99.9),
                n == 0 ? -1 : sorted[n - 1], maxPerSecond(destinationMs), contenderCpuSeconds);
    }
}
