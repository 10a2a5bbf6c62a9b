package io.kmirror.internal.topics;

import io.kmirror.internal.ClusterAccess;
import io.kmirror.internal.config.ClientConfigs;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What kmirror remembers about topics across restarts, in the compacted topic {@value #TOPIC} on the
 * destination (one partition; never mirrored, as no topic starting with {@code __} is):
 * <ul>
 *   <li>{@code created/<destination topic>} → its topic id: kmirror created that destination topic, so it
 *       keeps growing with its source, even when the source grew while no mirror ran;</li>
 *   <li>{@code source/<source cluster id>/<source topic>} → the source topic's id when it was last
 *       mirrored: a different id now means the topic was deleted and recreated under the same name.</li>
 * </ul>
 * Loaded once, at the mirror's start; written on the topic thread, synchronously, before what a record
 * claims is relied on. Thread-safe.
 */
public final class TopicRegistry implements AutoCloseable {

    /** The destination topic that holds the registry. */
    public static final String TOPIC = "__kmirror-topics";

    private static final Logger log = LoggerFactory.getLogger(TopicRegistry.class);
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String NEEDED = "CREATE, DESCRIBE, READ and WRITE on topic " + TOPIC;

    private final Admin admin;
    private final ClusterAccess access;
    private final Map<String, Object> consumerConfig;
    private final Map<String, Object> producerConfig;
    private final Map<String, String> entries = new HashMap<>();
    private KafkaProducer<String, String> producer;

    /**
     * @param admin          the destination's admin client
     * @param clientConfig   the destination's client settings (connection and security); consumer and
     *                       producer keys among them are used, kmirror's own choices win
     */
    public TopicRegistry(Admin admin, Map<String, Object> clientConfig, String clientIdPrefix) {
        this.admin = admin;
        this.access = ClusterAccess.destination(clientConfig);
        this.consumerConfig = ClientConfigs.select(clientConfig, ConsumerConfig.configNames());
        consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, clientIdPrefix + "-registry-reader");
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerConfig.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        consumerConfig.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, ClientConfigs.READER_FETCH_MAX_WAIT_MS);
        consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.producerConfig = ClientConfigs.select(clientConfig, ProducerConfig.configNames());
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, clientIdPrefix + "-registry-writer");
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    }

    /** Creates the registry topic if it is missing and reads it whole. */
    public synchronized void load() throws InterruptedException {
        new CompactedTopic(TOPIC, "kmirror's topic registry", access).ensure(admin);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(List.of(PARTITION));
            consumer.seekToBeginning(List.of(PARTITION));
            long end = consumer.endOffsets(List.of(PARTITION), TIMEOUT).get(PARTITION);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (consumer.position(PARTITION, TIMEOUT) < end) {
                if (System.nanoTime() > deadline) {
                    throw new KafkaException("reading kmirror's topic registry " + TOPIC + " on the destination timed out");
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.value() == null) {
                        entries.remove(record.key());
                    } else {
                        entries.put(record.key(), record.value());
                    }
                }
            }
        } catch (KafkaException e) {
            throw access.failure(e, NEEDED, () -> new KafkaException("cannot read kmirror's topic registry " + TOPIC
                    + " on the destination (" + e.getMessage() + "); kmirror needs to create, read and write it (on a secured"
                    + " cluster: " + NEEDED + ")", e));
        }
        log.debug("Loaded {} entries of {}", entries.size(), TOPIC);
    }

    /** Whether kmirror created destination topic {@code topic} with the id {@code topicId}. */
    public synchronized boolean created(String topic, Uuid topicId) {
        return topicId.toString().equals(entries.get(createdKey(topic)));
    }

    /** Records that kmirror created the destination topics {@code topicIds} names, with those ids. */
    public void recordCreated(Map<String, Uuid> topicIds) throws InterruptedException {
        putIds(topicIds, TopicRegistry::createdKey);
    }

    /** The id source topic {@code topic} of cluster {@code clusterId} had when it was last mirrored. */
    public synchronized Optional<Uuid> sourceTopicId(String clusterId, String topic) {
        String id = entries.get(sourceKey(clusterId, topic));
        return id == null ? Optional.empty() : Optional.of(Uuid.fromString(id));
    }

    /** Records that the source topics of cluster {@code clusterId} that {@code topicIds} names are mirrored with those ids. */
    public void recordSourceTopicIds(String clusterId, Map<String, Uuid> topicIds) throws InterruptedException {
        putIds(topicIds, topic -> sourceKey(clusterId, topic));
    }

    private void putIds(Map<String, Uuid> topicIds, UnaryOperator<String> key) throws InterruptedException {
        Map<String, String> records = new LinkedHashMap<>();
        topicIds.forEach((topic, id) -> records.put(key.apply(topic), id.toString()));
        putAll(records);
    }

    /**
     * Writes the entries that changed, all sent before any is waited for (a scan that finds 200 new topics writes
     * 400 entries: one acknowledgement each in turn took seconds), and keeps each once it is acknowledged.
     */
    private synchronized void putAll(Map<String, String> records) throws InterruptedException {
        Map<String, Future<RecordMetadata>> sent = new LinkedHashMap<>();
        records.forEach((key, value) -> {
            if (!value.equals(entries.get(key))) {
                if (producer == null) {
                    producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
                }
                sent.put(key, producer.send(new ProducerRecord<>(TOPIC, 0, key, value)));
            }
        });
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try {
            for (Map.Entry<String, Future<RecordMetadata>> record : sent.entrySet()) {
                record.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                entries.put(record.getKey(), records.get(record.getKey()));
            }
        } catch (ExecutionException e) {
            throw access.failure(e.getCause(), NEEDED, () -> new KafkaException("writing to kmirror's topic registry " + TOPIC
                    + " on the destination failed: " + e.getCause(), e.getCause()));
        } catch (TimeoutException e) {
            throw new KafkaException("writing to kmirror's topic registry " + TOPIC + " on the destination timed out", e);
        }
    }

    private static String createdKey(String destinationTopic) {
        return "created/" + destinationTopic;
    }

    private static String sourceKey(String clusterId, String sourceTopic) {
        return "source/" + clusterId + "/" + sourceTopic;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ZERO);
        }
    }
}
