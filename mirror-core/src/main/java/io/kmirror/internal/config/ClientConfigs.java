package io.kmirror.internal.config;

import io.kmirror.internal.MirrorSettings;
import io.kmirror.internal.stream.InitialPosition;
import io.kmirror.internal.stream.SlotAssignor;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Derives the effective client configurations from the user's maps: kmirror's defaults first, the
 * user's keys over them, and what the mirror must own last ({@link LayeredConfig}).
 */
public final class ClientConfigs {

    private static final long DEFAULT_DELIVERY_TIMEOUT_MS = 120_000;
    private static final long DEFAULT_TRANSACTION_TIMEOUT_MS = 60_000;

    private ClientConfigs() {
    }

    /**
     * {@code fetch.max.wait.ms} of kmirror's readers of its own topics, which read to the end and stop: a poll
     * that returned records has already sent the next fetch, which the broker holds for up to this long when
     * nothing follows, and closing the consumer waits for it (Kafka's default, 500 ms, was a third of
     * {@code kmirror.jar}'s time to its first record).
     */
    public static final int READER_FETCH_MAX_WAIT_MS = 20;

    /**
     * The configuration of stream {@code stream}'s source consumer. Its {@code auto.offset.reset} is
     * {@code none}: a position the source no longer has is reported as a gap, never reset silently; where
     * a partition without a committed offset starts (the {@code auto.offset.reset} of
     * {@link #consumerLayers}) is applied by the mirror itself ({@link #startPosition}).
     */
    public static Map<String, Object> consumer(MirrorSettings settings, int stream) {
        Map<String, Object> config = consumerLayers(settings, stream).merged();
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        return config;
    }

    /** {@link #consumer} in its layers, with {@code auto.offset.reset} as the start position of partitions without offsets. */
    public static LayeredConfig consumerLayers(MirrorSettings settings, int stream) {
        Map<String, Object> defaults = new HashMap<>();
        defaults.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                settings.startFrom() == null ? "earliest" : InitialPosition.from(settings.startFrom()).toString());
        defaults.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        defaults.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        // The client's 64 KiB socket buffer throttles a fetch to what one poll loop drains: measured at
        // 20,000 records/s it made the p99 latency 180-240 ms instead of 20-45 ms. -1 lets the OS size
        // (and on Linux autotune) it, which a mirror over a long link needs as well.
        defaults.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, -1);
        // new source partitions are found on a metadata refresh: as often as new topics are looked for
        defaults.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, settings.topicRefreshInterval().toMillis());
        MemoryBudget.ofThisJvm(settings.streams()).consumerDefaults(defaults);
        Map<String, Object> owned = new HashMap<>();
        owned.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        owned.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        owned.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        owned.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        owned.put(ConsumerConfig.CLIENT_ID_CONFIG,
                clientId(settings.sourceConfig(), "kmirror-" + settings.groupId()) + "-stream-" + stream);
        if (settings.transactionSlots() > 0) {
            owned.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, SlotAssignor.class.getName());
            owned.put(SlotAssignor.SLOTS_CONFIG, settings.transactionSlots());
        }
        return new LayeredConfig(defaults, settings.sourceConfig(), owned);
    }

    /** The source consumers' {@code max.poll.records}. */
    public static int maxPollRecords(MirrorSettings settings) {
        Object value = consumer(settings, 0).get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG);
        return value == null ? ConsumerConfig.DEFAULT_MAX_POLL_RECORDS : Integer.parseInt(value.toString().trim());
    }

    /** The source consumers' {@code fetch.max.bytes}. */
    public static long fetchMaxBytes(MirrorSettings settings) {
        Object value = consumer(settings, 0).get(ConsumerConfig.FETCH_MAX_BYTES_CONFIG);
        return value == null ? ConsumerConfig.DEFAULT_FETCH_MAX_BYTES : Long.parseLong(value.toString().trim());
    }

    /**
     * Where partitions without a committed offset start: the builder's startFrom, else the source's
     * auto.offset.reset, earliest unless set.
     */
    public static InitialPosition startPosition(MirrorSettings settings) {
        if (settings.startFrom() != null) {
            return InitialPosition.from(settings.startFrom());
        }
        return InitialPosition.of(settings.sourceConfig().get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG));
    }

    /**
     * How long the destination may fail before the mirror gives up: the producer's
     * {@code delivery.timeout.ms} (its default unless set).
     */
    public static Duration deliveryTimeout(MirrorSettings settings) {
        return destinationMillis(settings, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, DEFAULT_DELIVERY_TIMEOUT_MS);
    }

    /**
     * How long the destination lets a transaction stay open before its coordinator aborts it: the producer's
     * {@code transaction.timeout.ms} (its default unless set).
     */
    public static Duration transactionTimeout(MirrorSettings settings) {
        return destinationMillis(settings, ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, DEFAULT_TRANSACTION_TIMEOUT_MS);
    }

    /** The destination's setting {@code key} in milliseconds (checked to be a number at build), or {@code defaultMs}. */
    private static Duration destinationMillis(MirrorSettings settings, String key, long defaultMs) {
        Object value = settings.destinationConfig().get(key);
        return Duration.ofMillis(value == null ? defaultMs : Long.parseLong(value.toString().trim()));
    }

    /**
     * The configuration of stream {@code stream}'s destination producer (at-least-once: each stream
     * has its own, so one stream's flush on a rebalance never waits for another's records).
     */
    public static Map<String, Object> producer(MirrorSettings settings, int stream) {
        return producerLayers(settings, stream).merged();
    }

    /** {@link #producer} in its layers. */
    public static LayeredConfig producerLayers(MirrorSettings settings, int stream) {
        Map<String, Object> defaults = producerDefaults();
        defaults.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        defaults.put(ProducerConfig.BUFFER_MEMORY_CONFIG,
                MemoryBudget.ofThisJvm(settings.streams()).bufferMemory(settings.destinationConfig()));
        return producerLayers(settings, defaults, "-" + stream);
    }

    private static Map<String, Object> producerDefaults() {
        Map<String, Object> defaults = new HashMap<>();
        defaults.put(ProducerConfig.ACKS_CONFIG, "all");
        defaults.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        defaults.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return defaults;
    }

    private static LayeredConfig producerLayers(MirrorSettings settings, Map<String, Object> defaults, String clientIdSuffix) {
        Map<String, Object> owned = new HashMap<>();
        owned.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        owned.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        owned.put(ProducerConfig.CLIENT_ID_CONFIG,
                clientId(settings.destinationConfig(), "kmirror-" + settings.groupId()) + "-producer" + clientIdSuffix);
        return new LayeredConfig(defaults, settings.destinationConfig(), owned);
    }

    /** The configuration of a transactional destination producer with {@code transactionalId} (exactly-once). */
    public static Map<String, Object> transactionalProducer(MirrorSettings settings, String transactionalId) {
        return transactionalProducerLayers(settings, transactionalId).merged();
    }

    /** The {@code buffer.memory} of the transactional producers: what each may keep of batches. */
    public static long transactionalBufferMemory(MirrorSettings settings) {
        return Long.parseLong(transactionalProducer(settings, "kmirror").get(ProducerConfig.BUFFER_MEMORY_CONFIG).toString().trim());
    }

    /** {@link #transactionalProducer} in its layers. */
    public static LayeredConfig transactionalProducerLayers(MirrorSettings settings, String transactionalId) {
        // one producer per source partition: each keeps the batches it used pooled, so thousands of them with
        // 256 KiB batches and 32 MiB buffers would not fit a small heap (measured: 2,000 partitions in 256 MiB)
        Map<String, Object> defaults = producerDefaults();
        defaults.put(ProducerConfig.BATCH_SIZE_CONFIG, MemoryBudget.PARTITION_BATCH_SIZE);
        defaults.put(ProducerConfig.BUFFER_MEMORY_CONFIG, settings.transactionSlots() > 0
                ? MemoryBudget.ofThisJvm(settings.streams()).slotBufferMemory(settings.destinationConfig(), settings.transactionSlots())
                : MemoryBudget.partitionBufferMemory(settings.destinationConfig()));
        // client telemetry (KIP-714) keeps a copy of every metric per producer: 55 KiB of heap each, measured
        defaults.put(ProducerConfig.ENABLE_METRICS_PUSH_CONFIG, false);
        // one MBean per metric group per producer, registered at every open: a tenth of the CPU when partitions take turns
        // (ProducerTurns) and thousands of producers open and close; kmirror's own metrics say what a mirror does
        defaults.put(ProducerConfig.METRIC_REPORTER_CLASSES_CONFIG, "");
        return producerLayers(settings, defaults, "-" + transactionalId)
                .own(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId)
                .own(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .own(ProducerConfig.ACKS_CONFIG, "all");
    }

    /** An admin configuration for the source cluster, from the consumer configuration's admin keys. */
    public static Map<String, Object> sourceAdmin(MirrorSettings settings) {
        return sourceAdminLayers(settings).merged();
    }

    /** {@link #sourceAdmin} in its layers. */
    public static LayeredConfig sourceAdminLayers(MirrorSettings settings) {
        return admin(settings.sourceConfig(), "kmirror-" + settings.groupId() + "-source-admin");
    }

    /** An admin configuration for the destination cluster, from the producer configuration's admin keys. */
    public static Map<String, Object> destinationAdmin(MirrorSettings settings) {
        return destinationAdminLayers(settings).merged();
    }

    /** {@link #destinationAdmin} in its layers. */
    public static LayeredConfig destinationAdminLayers(MirrorSettings settings) {
        return admin(settings.destinationConfig(), "kmirror-" + settings.groupId() + "-destination-admin");
    }

    private static LayeredConfig admin(Map<String, Object> clientConfig, String clientId) {
        Map<String, Object> user = new HashMap<>();
        clientConfig.forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k)) {
                user.put(k, v);
            }
        });
        return new LayeredConfig(Map.of(), user, Map.of(AdminClientConfig.CLIENT_ID_CONFIG, clientId));
    }

    /**
     * The keys of {@code config} that a client with configuration keys {@code names} takes (connection and
     * security settings among them), serializer classes left out: for kmirror's own helper clients.
     */
    public static Map<String, Object> select(Map<String, ?> config, Set<String> names) {
        Map<String, Object> selected = new HashMap<>();
        config.forEach((key, value) -> {
            if (names.contains(key) && !key.endsWith(".serializer") && !key.endsWith(".deserializer")) {
                selected.put(key, value);
            }
        });
        return selected;
    }

    private static String clientId(Map<String, Object> userConfig, String fallback) {
        Object id = userConfig.get(CommonClientConfigs.CLIENT_ID_CONFIG);
        return id == null || id.toString().isBlank() ? fallback : id.toString();
    }
}
