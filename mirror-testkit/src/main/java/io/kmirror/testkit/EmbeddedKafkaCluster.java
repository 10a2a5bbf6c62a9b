package io.kmirror.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import kafka.server.BrokerServer;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.MetadataCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka cluster running inside this JVM (KRaft, built on Kafka's own {@code KafkaClusterTestKit}),
 * for tests.
 *
 * <p>What it guarantees:
 * <ul>
 *   <li>Brokers listen on random ports chosen by the operating system and advertise
 *       {@code localhost}. (Kafka's kit binds a broker's first listener socket on the wildcard address;
 *       a restarted broker binds {@code localhost}.) Nothing is set JVM-wide: no system properties, no
 *       shutdown hooks of its own, no static state. Several clusters run side by side in one JVM.</li>
 *   <li>When {@link #start()} returns, every broker is registered, unfenced and knows every other
 *       broker: clients can connect at once.</li>
 *   <li>The brokers are small and quick: one controller (on the node of broker 0); internal topics
 *       with few partitions; no initial rebalance delay. Internal topics and new topics get replication
 *       factor {@code min(brokers, 3)} (the transaction log's {@code min.isr} is one less, at least 1,
 *       so transactions keep working while one broker of three is down); new topics get 1 partition
 *       unless told. Topic auto-creation stays at the broker default (on), as in most real clusters.</li>
 *   <li>Every wait is bounded by the {@linkplain Builder#waitTimeout(Duration) wait timeout}
 *       (60 s unless set); when it runs out, a {@link TimeoutException} says what was awaited.</li>
 *   <li>{@link #close()} stops every broker, deletes the cluster's data directory and is idempotent.</li>
 * </ul>
 *
 * <p>Thread-safety: all methods may be called from several threads; {@link #stopBroker(int)},
 * {@link #restartBroker(int)} and {@link #close()} are serialized with each other. After
 * {@link #close()}, every method but {@code close()} throws {@link IllegalStateException}.
 *
 * <pre>{@code
 * try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start()) {
 *     kafka.createTopic("orders", 8);
 *     List<ProducerRecord<byte[], byte[]>> sent = kafka.produceKeyed("orders", 1000, 50, 42L);
 *     List<ConsumerRecord<byte[], byte[]>> read = kafka.readAll("orders");
 * }
 * }</pre>
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);

    /** Upper bound of one admin call inside a polling loop, so that a loop notices its deadline. */
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration POLL_PAUSE = Duration.ofMillis(50);
    private static final int VALUE_SIZE = 100;
    /** In combined mode the kit's single controller runs on the node of broker 0. */
    private static final int CONTROLLER_NODE_ID = 0;

    private final KafkaClusterTestKit kit;
    private final Path baseDirectory;
    private final Duration waitTimeout;
    private final String bootstrapServers;
    private final String clusterId;
    private final ListenerName listenerName;
    private final Map<Integer, Integer> brokerPorts;
    private final Set<Integer> stoppedBrokers = new HashSet<>();
    private final Object lifecycleLock = new Object();
    private final Object adminLock = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger clientCounter = new AtomicInteger();
    private Admin admin; // guarded by adminLock

    private EmbeddedKafkaCluster(KafkaClusterTestKit kit, Path baseDirectory, Duration waitTimeout) {
        this.kit = kit;
        this.baseDirectory = baseDirectory;
        this.waitTimeout = waitTimeout;
        this.bootstrapServers = kit.bootstrapServers();
        this.clusterId = kit.nodes().clusterId();
        this.listenerName = ListenerName.normalised(kit.nodes().brokerListenerName().value());
        Map<Integer, Integer> ports = new TreeMap<>();
        kit.brokers().forEach((id, broker) -> ports.put(id, broker.boundPort(listenerName)));
        this.brokerPorts = Map.copyOf(ports);
    }

    /**
     * Starts a cluster of one broker with the default settings.
     *
     * @return a running cluster; the caller closes it
     * @throws KafkaException if the cluster did not start (its resources are released)
     */
    public static EmbeddedKafkaCluster start() {
        return builder().start();
    }

    /**
     * Starts a cluster of {@code brokers} brokers with the default settings.
     *
     * @param brokers number of brokers, at least 1
     * @return a running cluster; the caller closes it
     * @throws IllegalArgumentException if {@code brokers < 1}
     * @throws KafkaException if the cluster did not start (its resources are released)
     */
    public static EmbeddedKafkaCluster start(int brokers) {
        return builder().brokers(brokers).start();
    }

    /**
     * Returns a builder for a cluster with other settings than the defaults.
     *
     * @return a new builder: one broker, default broker settings, 60 s wait timeout
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Settings of a cluster to start. A builder may be used for several clusters: each
     * {@link #start()} starts a new, independent one. Not thread-safe.
     */
    public static final class Builder {
        private int brokers = 1;
        private final Map<String, Object> brokerConfig = new LinkedHashMap<>();
        private Duration waitTimeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /**
         * Sets the number of brokers (default 1). Broker 0 is also the cluster's only controller.
         *
         * @param brokers at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code brokers < 1}
         */
        public Builder brokers(int brokers) {
            if (brokers < 1) {
                throw new IllegalArgumentException("brokers must be at least 1, was " + brokers);
            }
            this.brokers = brokers;
            return this;
        }

        /**
         * Sets a broker (and controller) configuration property on every node, replacing the test
         * kit's default for that key, e.g. {@code brokerConfig("auto.create.topics.enable", false)}.
         *
         * @param key a Kafka broker configuration key
         * @param value its value: a String, a number or a boolean (passed on as its string form), or
         *        an object of the type the broker expects
         * @return this builder
         */
        public Builder brokerConfig(String key, Object value) {
            requireNonNull(key, "key");
            requireNonNull(value, "value of " + key);
            // the broker parses strings into any type, but rejects e.g. an Integer for a short setting
            brokerConfig.put(key, value instanceof Number || value instanceof Boolean ? value.toString() : value);
            return this;
        }

        /**
         * Sets the upper bound of every wait of the cluster: a new topic becoming writable, a
         * {@link EmbeddedKafkaCluster#readAll(String)}, a broker coming back (default 60 s).
         *
         * @param timeout positive
         * @return this builder
         * @throws IllegalArgumentException if the timeout is not positive
         */
        public Builder waitTimeout(Duration timeout) {
            requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("waitTimeout must be positive, was " + timeout);
            }
            this.waitTimeout = timeout;
            return this;
        }

        /**
         * Starts a new cluster with these settings and returns once every broker is ready.
         *
         * @return a running cluster; the caller closes it
         * @throws KafkaException if the cluster did not start (its brokers are stopped and its
         *         directory deleted)
         */
        public EmbeddedKafkaCluster start() {
            return EmbeddedKafkaCluster.start(brokers, defaultBrokerConfig(brokers, brokerConfig),
                    defaultControllerConfig(brokers, brokerConfig), waitTimeout);
        }

        @Override
        public String toString() {
            return "EmbeddedKafkaCluster.Builder{brokers=" + brokers + ", brokerConfig=" + brokerConfig
                    + ", waitTimeout=" + waitTimeout + "}";
        }
    }

    private static Map<String, Object> defaultBrokerConfig(int brokers, Map<String, Object> overrides) {
        int replication = Math.min(brokers, 3);
        // with 3 replicas, transactions keep working while one broker is down
        int minIsr = Math.max(1, replication - 1);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("offsets.topic.replication.factor", replication);
        config.put("offsets.topic.num.partitions", 5);
        config.put("transaction.state.log.replication.factor", replication);
        config.put("transaction.state.log.min.isr", minIsr);
        config.put("transaction.state.log.num.partitions", 5);
        config.put("share.coordinator.state.topic.replication.factor", replication);
        config.put("share.coordinator.state.topic.min.isr", minIsr);
        config.put("share.coordinator.state.topic.num.partitions", 5);
        config.put("group.initial.rebalance.delay.ms", 0);
        config.replaceAll((key, value) -> value.toString());
        config.putAll(overrides);
        return config;
    }

    /**
     * Defaults of new topics, which the controller applies: set on the controller's node only, since
     * a broker-only node warns that it ignores them.
     */
    private static Map<String, String> defaultControllerConfig(int brokers, Map<String, Object> overrides) {
        Map<String, String> config = new HashMap<>();
        config.put("default.replication.factor", Integer.toString(Math.min(brokers, 3)));
        config.put("num.partitions", "1");
        config.keySet().removeAll(overrides.keySet());
        return config;
    }

    private static EmbeddedKafkaCluster start(int brokers, Map<String, Object> config,
                                              Map<String, String> controllerConfig, Duration waitTimeout) {
        long startNanos = System.nanoTime();
        Path directory;
        try {
            // our own directory: the kit's default one registers a JVM shutdown hook to delete it
            directory = Files.createTempDirectory("kmirror-kafka-");
        } catch (IOException e) {
            throw new KafkaException("could not create a data directory for an embedded Kafka cluster", e);
        }
        KafkaClusterTestKit kit = null;
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(brokers)
                    .setNumControllerNodes(1)
                    .setPerServerProperties(Map.of(CONTROLLER_NODE_ID, controllerConfig))
                    .setBaseDirectory(directory)
                    .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(true);
            config.forEach(builder::setConfigProp);
            kit = builder.build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(kit, directory, waitTimeout);
            log.info("Started embedded Kafka cluster {} ({} broker(s)) at {} in {} ms", cluster.clusterId,
                    brokers, cluster.bootstrapServers, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
            return cluster;
        } catch (Exception | Error e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (kit != null) {
                try {
                    kit.close();
                } catch (Exception closeFailure) {
                    e.addSuppressed(closeFailure);
                }
            }
            try {
                deleteRecursively(directory);
            } catch (IOException deleteFailure) {
                e.addSuppressed(deleteFailure);
            }
            if (e instanceof Error error) {
                throw error;
            }
            throw new KafkaException("could not start an embedded Kafka cluster of " + brokers + " broker(s): " + e, e);
        }
    }

    /**
     * Returns the {@code bootstrap.servers} string of all brokers, e.g.
     * {@code localhost:40123,localhost:40125}. It stays valid for the life of the cluster: a broker
     * restarted with {@link #restartBroker(int)} listens on its former port again.
     *
     * @return the bootstrap servers, never empty
     */
    public String bootstrapServers() {
        ensureOpen();
        return bootstrapServers;
    }

    /**
     * Returns the cluster id (random for each cluster), the one {@code Admin.describeCluster()} reports.
     *
     * @return the cluster id
     */
    public String clusterId() {
        ensureOpen();
        return clusterId;
    }

    /**
     * Returns the number of brokers of the cluster, stopped ones included.
     *
     * @return the number of brokers
     */
    public int brokerCount() {
        ensureOpen();
        return brokerPorts.size();
    }

    /**
     * Returns the ids of the brokers, stopped ones included, in ascending order. Broker ids start at 0;
     * broker 0 also hosts the cluster's controller.
     *
     * @return the broker ids, unmodifiable
     */
    public Set<Integer> brokerIds() {
        ensureOpen();
        return Collections.unmodifiableSortedSet(new TreeSet<>(brokerPorts.keySet()));
    }

    /**
     * Returns a new mutable map holding only {@code bootstrap.servers}, to start the configuration of a
     * client of this cluster.
     *
     * @return a new map, owned by the caller
     */
    public Map<String, Object> clientConfig() {
        ensureOpen();
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }

    /**
     * Returns an {@link Admin} client of this cluster, shared by all callers, created at the first call
     * and closed by {@link #close()}. Callers must not close it.
     *
     * @return the shared admin client
     */
    public Admin admin() {
        ensureOpen();
        synchronized (adminLock) {
            if (admin == null) {
                Map<String, Object> config = clientConfig();
                config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId("admin"));
                admin = Admin.create(config);
            }
            return admin;
        }
    }

    /**
     * Creates a topic with the cluster's default replication factor ({@code min(brokers, 3)} unless
     * configured with {@code default.replication.factor}) and returns once every running broker knows
     * each partition's leader and every leader answered a {@code ListOffsets} request, so that a producer
     * may write at once ({@code createTopics} alone returns before the leaders serve, and an idempotent
     * producer writing then can lose its first batch, KAFKA-15591).
     *
     * @param name the topic
     * @param partitions number of partitions, at least 1
     * @throws TimeoutException if a partition has no answering leader within the wait timeout; the
     *         message names the partition
     * @throws KafkaException if the topic could not be created (e.g. it exists)
     */
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Optional.empty(), Map.of());
    }

    /**
     * Creates a topic with topic configuration and the cluster's default replication factor, and returns
     * once every partition has a leader that answers; see {@link #createTopic(String, int)}.
     *
     * @param name the topic
     * @param partitions number of partitions, at least 1
     * @param configs topic configuration, e.g. {@code cleanup.policy=compact}
     * @throws TimeoutException if a partition has no answering leader within the wait timeout
     * @throws KafkaException if the topic could not be created
     */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        createTopic(name, partitions, Optional.empty(), configs);
    }

    /**
     * Creates a topic with a replication factor and returns once every partition has a leader that
     * answers; see {@link #createTopic(String, int)}.
     *
     * @param name the topic
     * @param partitions number of partitions, at least 1
     * @param replicationFactor between 1 and the number of running brokers
     * @throws TimeoutException if a partition has no answering leader within the wait timeout
     * @throws KafkaException if the topic could not be created
     */
    public void createTopic(String name, int partitions, int replicationFactor) {
        createTopic(name, partitions, replicationFactor, Map.of());
    }

    /**
     * Creates a topic with a replication factor and topic configuration and returns once every
     * partition has a leader that answers; see {@link #createTopic(String, int)}.
     *
     * @param name the topic
     * @param partitions number of partitions, at least 1
     * @param replicationFactor between 1 and the number of running brokers
     * @param configs topic configuration
     * @throws TimeoutException if a partition has no answering leader within the wait timeout
     * @throws KafkaException if the topic could not be created
     */
    public void createTopic(String name, int partitions, int replicationFactor, Map<String, String> configs) {
        if (replicationFactor < 1 || replicationFactor > Short.MAX_VALUE) {
            throw new IllegalArgumentException("replicationFactor must be at least 1, was " + replicationFactor);
        }
        createTopic(name, partitions, Optional.of((short) replicationFactor), configs);
    }

    private void createTopic(String name, int partitions, Optional<Short> replicationFactor, Map<String, String> configs) {
        requireNonNull(name, "name");
        requireNonNull(configs, "configs");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        NewTopic topic = new NewTopic(name, Optional.of(partitions), replicationFactor).configs(configs);
        get(admin().createTopics(List.of(topic)).all(), "create topic " + name);
        awaitLeadersAnswer(name, partitions);
    }

    /** Waits until every running broker knows the leaders, then polls ListOffsets until each leader answered. */
    private void awaitLeadersAnswer(String topic, int partitions) {
        // first until every running broker knows the leaders: a client asking a broker that does not know
        // the topic yet gets UNKNOWN_TOPIC_OR_PARTITION (and the admin logs it as an ERROR)
        awaitCondition(() -> runningBrokersKnowLeaders(topic, partitions),
                "every running broker to know the leaders of the new topic " + topic);
        Set<TopicPartition> pending = new TreeSet<>(Comparator.comparingInt(TopicPartition::partition));
        for (int p = 0; p < partitions; p++) {
            pending.add(new TopicPartition(topic, p));
        }
        long deadline = System.nanoTime() + waitTimeout.toNanos();
        Throwable lastError = null;
        while (true) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            pending.forEach(tp -> request.put(tp, OffsetSpec.latest()));
            ListOffsetsResult result = admin().listOffsets(request,
                    new ListOffsetsOptions().timeoutMs(attemptTimeoutMs(deadline)));
            for (TopicPartition tp : List.copyOf(pending)) {
                try {
                    result.partitionResult(tp).get();
                    pending.remove(tp);
                } catch (ExecutionException e) {
                    lastError = e.getCause();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptException(e);
                }
            }
            if (pending.isEmpty()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("partition(s) " + pending + " of the new topic " + topic
                        + " had no leader that answered ListOffsets within " + waitTimeout + "; last error: " + lastError);
            }
            pause();
        }
    }

    /**
     * Sends records to a topic with an idempotent producer ({@code acks=all}) and returns once every
     * record is acknowledged. Records of one partition are written in the order given. A topic that
     * does not exist is auto-created by the broker (one partition); prefer
     * {@link #createTopic(String, int)} first.
     *
     * @param topic the topic every record is for
     * @param records records whose {@code topic()} is {@code topic}
     * @throws IllegalArgumentException if a record is for another topic
     * @throws KafkaException if a record was not acknowledged; the cause is the producer's error
     */
    public void produce(String topic, Collection<ProducerRecord<byte[], byte[]>> records) {
        requireNonNull(topic, "topic");
        requireNonNull(records, "records");
        for (ProducerRecord<byte[], byte[]> record : records) {
            if (!topic.equals(record.topic())) {
                throw new IllegalArgumentException("a record for topic " + record.topic() + " was passed to produce(" + topic + ", ..)");
            }
        }
        Map<String, Object> config = clientConfig();
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId("producer"));
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> acknowledgements = new ArrayList<>(records.size());
            for (ProducerRecord<byte[], byte[]> record : records) {
                acknowledgements.add(producer.send(record));
            }
            producer.flush();
            for (Future<RecordMetadata> acknowledgement : acknowledgements) {
                try {
                    acknowledgement.get();
                } catch (ExecutionException e) {
                    throw new KafkaException("could not produce to " + topic + ": " + e.getCause(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptException(e);
                }
            }
        }
    }

    /**
     * Produces {@code count} records with {@link #produce(String, Collection)} and returns them in the
     * order sent. The records are made from {@code seed} alone (same seed, same keys, values and headers):
     * <ul>
     *   <li>key: {@code "key-<n>"} in UTF-8, n drawn from {@code [0, distinctKeys)}, so the default
     *       partitioner places all records of a key in one partition, in the order sent;</li>
     *   <li>value: 100 bytes of printable ASCII starting with {@code "value-<seq>-"};</li>
     *   <li>one header {@code seq}: the record's sequence number {@code 0..count-1} as a decimal
     *       string in UTF-8;</li>
     *   <li>no partition and no timestamp: the producer chooses them.</li>
     * </ul>
     *
     * @param topic the topic
     * @param count number of records, at least 0
     * @param distinctKeys number of different keys, at least 1
     * @param seed seed of the {@link Random} that picks keys and value bytes
     * @return the records sent, unmodifiable, in send order
     * @throws KafkaException if a record was not acknowledged
     */
    public List<ProducerRecord<byte[], byte[]>> produceKeyed(String topic, int count, int distinctKeys, long seed) {
        requireNonNull(topic, "topic");
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, was " + count);
        }
        if (distinctKeys < 1) {
            throw new IllegalArgumentException("distinctKeys must be at least 1, was " + distinctKeys);
        }
        Random random = new Random(seed);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(count);
        for (int seq = 0; seq < count; seq++) {
            byte[] key = ("key-" + random.nextInt(distinctKeys)).getBytes(UTF_8);
            StringBuilder value = new StringBuilder(VALUE_SIZE).append("value-").append(seq).append('-');
            while (value.length() < VALUE_SIZE) {
                value.append((char) ('a' + random.nextInt(26)));
            }
            RecordHeaders headers = new RecordHeaders();
            headers.add(new RecordHeader("seq", Integer.toString(seq).getBytes(UTF_8)));
            records.add(new ProducerRecord<>(topic, null, null, key, value.toString().getBytes(UTF_8), headers));
        }
        produce(topic, records);
        return List.copyOf(records);
    }

    /**
     * Same as {@link #readAll(String, boolean) readAll(topic, true)}: the committed records only.
     *
     * @param topic an existing topic
     * @return the records, by partition then offset, unmodifiable
     * @throws org.apache.kafka.common.errors.UnknownTopicOrPartitionException if the topic does not exist
     * @throws TimeoutException if a partition was not read to its end within the wait timeout
     */
    public List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        return readAll(topic, true);
    }

    /**
     * Reads every record of every partition of a topic, from the beginning of each partition to its end
     * offset as of this call. Reads with {@code assign()} (no group, nothing committed) and never creates
     * the topic.
     *
     * <p>With {@code readCommitted}, the end of a partition is its last stable offset, records of
     * aborted transactions are skipped and transaction markers, which take offsets but are no records,
     * do not count. Without it, the end is the high watermark and aborted records are returned too.
     *
     * @param topic an existing topic
     * @param readCommitted {@code true} for {@code isolation.level=read_committed}
     * @return the records, ordered by partition then offset, unmodifiable
     * @throws org.apache.kafka.common.errors.UnknownTopicOrPartitionException if the topic does not exist
     * @throws TimeoutException if a partition was not read to its end within the wait timeout; the
     *         message names each such partition, its position and its end offset
     */
    public List<ConsumerRecord<byte[], byte[]>> readAll(String topic, boolean readCommitted) {
        List<TopicPartition> partitions = partitionsOf(topic);
        Map<String, Object> config = clientConfig();
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId("reader"));
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                (readCommitted ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED).toString());
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        long deadline = System.nanoTime() + waitTimeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> endOffsets = consumer.endOffsets(partitions, waitTimeout);
            Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> byPartition = new LinkedHashMap<>();
            partitions.forEach(tp -> byPartition.put(tp, new ArrayList<>()));
            Set<TopicPartition> pending = new HashSet<>(partitions);
            while (true) {
                Set<TopicPartition> done = new HashSet<>();
                for (TopicPartition tp : pending) {
                    if (consumer.position(tp, waitTimeout) >= endOffsets.get(tp)) {
                        done.add(tp);
                    }
                }
                pending.removeAll(done);
                consumer.pause(done);
                if (pending.isEmpty()) {
                    break;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new TimeoutException("readAll(" + topic + ") did not reach the end of partition(s) "
                            + pending.stream().sorted(Comparator.comparingInt(TopicPartition::partition))
                                    .map(tp -> tp.partition() + " (position " + consumer.position(tp) + ", end offset " + endOffsets.get(tp) + ")")
                                    .collect(Collectors.joining(", "))
                            + " within " + waitTimeout);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() < endOffsets.get(tp)) {
                        byPartition.get(tp).add(record);
                    }
                }
            }
            List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
            byPartition.values().forEach(all::addAll);
            return List.copyOf(all);
        }
    }

    /**
     * Returns the end offset (high watermark) of every partition of a topic. It counts transaction
     * markers and records of open or aborted transactions, so it can exceed the number of records a
     * {@code read_committed} reader sees.
     *
     * @param topic an existing topic
     * @return end offset by partition, ordered by partition, unmodifiable
     * @throws org.apache.kafka.common.errors.UnknownTopicOrPartitionException if the topic does not exist
     */
    public Map<TopicPartition, Long> endOffsets(String topic) {
        List<TopicPartition> partitions = partitionsOf(topic);
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result =
                get(admin().listOffsets(request).all(), "list end offsets of " + topic);
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        partitions.forEach(tp -> offsets.put(tp, result.get(tp).offset()));
        return Collections.unmodifiableMap(offsets);
    }

    /**
     * Returns the number of partitions of a topic.
     *
     * @param topic an existing topic
     * @return the partition count
     * @throws org.apache.kafka.common.errors.UnknownTopicOrPartitionException if the topic does not exist
     */
    public int partitionCount(String topic) {
        return partitionsOf(topic).size();
    }

    /**
     * Returns the names of the topics of the cluster, without internal topics such as
     * {@code __consumer_offsets}.
     *
     * @return topic names, unmodifiable
     */
    public Set<String> topics() {
        return Set.copyOf(get(admin().listTopics().names(), "list topics"));
    }

    /**
     * Stops a broker (controlled shutdown) and returns once it is down and, if other brokers run, once
     * the cluster no longer lists it. Its partitions' leadership moves to other replicas where there
     * are some. Stopping a stopped broker does nothing.
     *
     * @param brokerId one of {@link #brokerIds()}
     * @throws IllegalArgumentException if there is no such broker
     * @throws TimeoutException if the cluster still lists the broker after the wait timeout
     */
    public void stopBroker(int brokerId) {
        synchronized (lifecycleLock) {
            ensureOpen();
            BrokerServer broker = broker(brokerId);
            if (stoppedBrokers.contains(brokerId)) {
                return;
            }
            broker.shutdown();
            broker.awaitShutdown();
            stoppedBrokers.add(brokerId);
            log.info("Stopped broker {} of embedded Kafka cluster {}", brokerId, clusterId);
            if (stoppedBrokers.size() < brokerPorts.size()) {
                awaitCondition(() -> !liveBrokerIds().contains(brokerId),
                        "broker " + brokerId + " to leave the cluster " + clusterId);
            }
        }
    }

    /**
     * Restarts a broker (stopping it first if it runs) and returns once the cluster lists it again.
     * The broker listens on the same port as before, so {@link #bootstrapServers()} and clients that
     * knew the broker reach it again. Its data is kept; it catches up with the other replicas after
     * this method returns.
     *
     * <p>The controller accepts the new incarnation of the broker only when the session of the old
     * one has expired, {@code broker.session.timeout.ms} (9 s by default) after its last heartbeat, so
     * a restart takes about that long. A test that restarts often may lower it, e.g.
     * {@code brokerConfig("broker.session.timeout.ms", 3000).brokerConfig("broker.heartbeat.interval.ms", 500)},
     * at the price of a broker being fenced if the machine stalls for longer.
     *
     * @param brokerId one of {@link #brokerIds()}
     * @throws IllegalArgumentException if there is no such broker
     * @throws TimeoutException if the broker is not back within the wait timeout
     * @throws IllegalStateException if the broker came back on another port
     */
    public void restartBroker(int brokerId) {
        synchronized (lifecycleLock) {
            ensureOpen();
            BrokerServer broker = broker(brokerId);
            if (!stoppedBrokers.contains(brokerId)) {
                broker.shutdown();
                broker.awaitShutdown();
                stoppedBrokers.add(brokerId);
            }
            broker.startup();
            stoppedBrokers.remove(brokerId);
            int port = broker.boundPort(listenerName);
            if (port != brokerPorts.get(brokerId)) {
                throw new IllegalStateException("broker " + brokerId + " came back on port " + port
                        + " instead of " + brokerPorts.get(brokerId));
            }
            awaitCondition(() -> liveBrokerIds().contains(brokerId),
                    "broker " + brokerId + " to rejoin the cluster " + clusterId);
            log.info("Restarted broker {} of embedded Kafka cluster {} on port {}", brokerId, clusterId, port);
        }
    }

    /**
     * Stops every broker and the controller, closes the shared {@link #admin()} and deletes the
     * cluster's data directory. Idempotent; a second call does nothing.
     *
     * @throws KafkaException if a broker or controller did not stop cleanly or hit a fault while it ran
     *         (the directory is deleted all the same)
     */
    @Override
    public void close() {
        synchronized (lifecycleLock) {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            Exception failure = null;
            synchronized (adminLock) {
                if (admin != null) {
                    admin.close(Duration.ofSeconds(10));
                    admin = null;
                }
            }
            try {
                kit.close(); // also rethrows the first fault a broker or controller hit
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                failure = e;
            }
            try {
                deleteRecursively(baseDirectory);
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
            if (failure != null) {
                throw new KafkaException("embedded Kafka cluster " + clusterId + " did not close cleanly: " + failure, failure);
            }
            log.info("Closed embedded Kafka cluster {}", clusterId);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaCluster{clusterId=" + clusterId + ", bootstrapServers=" + bootstrapServers
                + (closed.get() ? ", closed" : "") + "}";
    }

    /** The directory holding all data of the cluster, for tests of this package. */
    Path baseDirectory() {
        return baseDirectory;
    }

    private List<TopicPartition> partitionsOf(String topic) {
        requireNonNull(topic, "topic");
        TopicDescription description = get(admin().describeTopics(List.of(topic)).allTopicNames(), "describe topic " + topic)
                .get(topic);
        return description.partitions().stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition))
                .toList();
    }

    private boolean runningBrokersKnowLeaders(String topic, int partitions) {
        Set<Integer> running;
        synchronized (lifecycleLock) {
            running = new HashSet<>(brokerPorts.keySet());
            running.removeAll(stoppedBrokers);
        }
        for (int id : running) {
            MetadataCache metadata = kit.brokers().get(id).metadataCache();
            if (metadata.numPartitions(topic).orElse(0) != partitions) {
                return false;
            }
            for (int partition = 0; partition < partitions; partition++) {
                if (metadata.getPartitionLeaderEndpoint(topic, partition, listenerName).filter(node -> !node.isEmpty()).isEmpty()) {
                    return false;
                }
            }
        }
        return true;
    }

    private Set<Integer> liveBrokerIds() {
        Collection<Node> nodes = get(admin().describeCluster(
                new DescribeClusterOptions().timeoutMs((int) ATTEMPT_TIMEOUT.toMillis())).nodes(), "describe cluster");
        return nodes.stream().map(Node::id).collect(Collectors.toSet());
    }

    private BrokerServer broker(int brokerId) {
        BrokerServer broker = kit.brokers().get(brokerId);
        if (broker == null) {
            throw new IllegalArgumentException("no broker " + brokerId + " in cluster " + clusterId
                    + "; its brokers are " + new TreeSet<>(brokerPorts.keySet()));
        }
        return broker;
    }

    /** Polls a condition until it holds; an exception thrown by the condition counts as "not yet". */
    private void awaitCondition(BooleanSupplier condition, String awaited) {
        long deadline = System.nanoTime() + waitTimeout.toNanos();
        RuntimeException lastError = null;
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (InterruptException e) {
                throw e;
            } catch (RuntimeException e) {
                lastError = e;
            }
            if (System.nanoTime() - deadline > 0) {
                TimeoutException timeout = new TimeoutException("waited " + waitTimeout + " for " + awaited);
                if (lastError != null) {
                    timeout.addSuppressed(lastError);
                }
                throw timeout;
            }
            pause();
        }
    }

    private <T> T get(KafkaFuture<T> future, String what) {
        try {
            return future.get(waitTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new KafkaException("could not " + what + ": " + e.getCause(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException("could not " + what + " within " + waitTimeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
    }

    private int attemptTimeoutMs(long deadline) {
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        return (int) Math.max(100, Math.min(remaining, ATTEMPT_TIMEOUT.toMillis()));
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
    }

    private String clientId(String role) {
        return "kmirror-testkit-" + clusterId + "-" + role + "-" + clientCounter.incrementAndGet();
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("embedded Kafka cluster " + clusterId + " is closed");
        }
    }

    private static <T> T requireNonNull(T value, String name) {
        if (value == null) {
            throw new NullPointerException(name + " must not be null");
        }
        return value;
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
