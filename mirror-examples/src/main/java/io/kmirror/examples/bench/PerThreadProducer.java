package io.kmirror.examples.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.metrics.KafkaMetric;

/**
 * An experiment, not a kmirror feature: handed to {@code producerFactory(..)}, it looks like one
 * producer to the mirror but gives every thread that sends its own {@link KafkaProducer} (so one per
 * stream), to measure "one producer shared by all streams" against "one per stream" without changing
 * mirror-core. Flush and close act on all of them. Not for transactions.
 */
final class PerThreadProducer implements Producer<byte[], byte[]> {

    private final Map<String, Object> config;
    private final Map<Thread, KafkaProducer<byte[], byte[]>> producers = new ConcurrentHashMap<>();

    PerThreadProducer(Map<String, Object> config) {
        this.config = Map.copyOf(config);
    }

    private KafkaProducer<byte[], byte[]> mine() {
        return producers.computeIfAbsent(Thread.currentThread(), thread -> {
            Map<String, Object> own = new java.util.HashMap<>(config);
            own.put(ProducerConfig.CLIENT_ID_CONFIG, config.get(ProducerConfig.CLIENT_ID_CONFIG) + "-" + producers.size());
            return new KafkaProducer<>(own);
        });
    }

    private KafkaProducer<byte[], byte[]> any() {
        return producers.values().stream().findFirst().orElseGet(this::mine);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
        return mine().send(record);
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
        return mine().send(record, callback);
    }

    @Override
    public void flush() {
        producers.values().forEach(KafkaProducer::flush);
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
        return any().partitionsFor(topic);
    }

    @Override
    public Map<MetricName, ? extends Metric> metrics() {
        return any().metrics();
    }

    @Override
    public Uuid clientInstanceId(Duration timeout) {
        return any().clientInstanceId(timeout);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    @Override
    public void close(Duration timeout) {
        producers.values().forEach(p -> p.close(timeout));
    }

    @Override
    public void registerMetricForSubscription(KafkaMetric metric) {
        any().registerMetricForSubscription(metric);
    }

    @Override
    public void unregisterMetricFromSubscription(KafkaMetric metric) {
        any().unregisterMetricFromSubscription(metric);
    }

    @Override
    public void initTransactions() {
        throw new UnsupportedOperationException("PerThreadProducer is for at-least-once only");
    }

    @Override
    public void beginTransaction() {
        throw new UnsupportedOperationException("PerThreadProducer is for at-least-once only");
    }

    @Override
    public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata) {
        throw new UnsupportedOperationException("PerThreadProducer is for at-least-once only");
    }

    @Override
    public void commitTransaction() {
        throw new UnsupportedOperationException("PerThreadProducer is for at-least-once only");
    }

    @Override
    public void abortTransaction() {
        throw new UnsupportedOperationException("PerThreadProducer is for at-least-once only");
    }
}
