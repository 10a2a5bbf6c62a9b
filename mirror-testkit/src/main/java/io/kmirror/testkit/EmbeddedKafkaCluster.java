package io.kmirror.testkit;

import io.kmirror.testkit.internal.ClusterCredentials;
import io.kmirror.testkit.internal.ClusterSecurity;
import io.kmirror.testkit.internal.ClusterSettings;
import io.kmirror.testkit.internal.Directories;
import io.kmirror.testkit.internal.EmbeddedBrokerConfig;
import io.kmirror.testkit.internal.FormattingOutput;
import io.kmirror.testkit.internal.KafkaCalls;
import io.kmirror.testkit.internal.ScramUsers;
import io.kmirror.testkit.internal.SharedAdmin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import kafka.server.BrokerServer;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.MetadataCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka cluster running inside this JVM (KRaft, built on Kafka's own {@code KafkaClusterTestKit}),
 * for tests: the default {@link TestKafkaCluster}, no Docker needed.
 *
 * <p>What it guarantees, besides the helpers of {@link TestKafkaCluster}:
 * <ul>
 *   <li>Brokers listen on random ports chosen by the operating system and advertise
 *       {@code localhost}. Nothing is set JVM-wide: no system properties, no shutdown hooks of its own,
 *       no static state. Several clusters run side by side in one JVM.</li>
 *   <li>When {@link #start()} returns, every broker is registered, unfenced and knows every other
 *       broker: clients can connect at once. Each start is logged at INFO ("Started embedded Kafka
 *       cluster ...").</li>
 *   <li>The brokers are small and quick: one controller (on the node of broker 0); internal topics
 *       with few partitions; no initial rebalance delay. Internal topics and new topics get replication
 *       factor {@code min(brokers, 3)} (the transaction log's {@code min.isr} is one less, at least 1,
 *       so transactions keep working while one broker of three is down); new topics get 1 partition
 *       unless told. Topic auto-creation stays at the broker default (on), as in most real clusters.</li>
 *   <li>A secured cluster ({@link ClusterBuilder#saslPlain}, {@link ClusterBuilder#saslScram},
 *       {@link ClusterBuilder#ssl}) secures its controller listener too, runs Kafka's
 *       {@code StandardAuthorizer}, and keeps its key and trust stores in its data directory;
 *       {@link #clientConfig()} is its superuser's, {@link #clientConfig(String)} a user's, and every
 *       helper works on it as on a plain cluster. Nothing of it is set JVM-wide either: the brokers'
 *       JAAS settings are listener properties, not a {@code java.security.auth.login.config} file.</li>
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
public final class EmbeddedKafkaCluster implements TestKafkaCluster {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);
    /** In combined mode the kit's single controller runs on the node of broker 0. */
    private static final int CONTROLLER_NODE_ID = 0;

    private final KafkaClusterTestKit kit;
    private final Path baseDirectory;
    private final Duration waitTimeout;
    private final String name;
    private final String bootstrapServers;
    private final String clusterId;
    private final ListenerName listenerName;
    /** Null for a cluster without security. */
    private final ClusterCredentials credentials;
    private final Map<Integer, Integer> brokerPorts;
    private final Set<Integer> stoppedBrokers = new HashSet<>(); // guarded by lifecycleLock
    private final Object lifecycleLock = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final SharedAdmin admin;

    private EmbeddedKafkaCluster(KafkaClusterTestKit kit, Path baseDirectory, Duration waitTimeout, String name,
            ClusterCredentials credentials) {
        this.kit = kit;
        this.credentials = credentials;
        this.baseDirectory = baseDirectory;
        this.waitTimeout = waitTimeout;
        this.bootstrapServers = kit.bootstrapServers();
        this.clusterId = kit.nodes().clusterId();
        this.name = name == null ? clusterId : name;
        this.listenerName = ListenerName.normalised(kit.nodes().brokerListenerName().value());
        Map<Integer, Integer> ports = new TreeMap<>();
        kit.brokers().forEach((id, broker) -> ports.put(id, broker.boundPort(listenerName)));
        this.brokerPorts = Map.copyOf(ports);
        this.admin = new SharedAdmin(clientConfig(), clusterId);
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
     * Settings of a cluster to start: those of every test cluster ({@link ClusterBuilder}). A builder may
     * be used for several clusters: each {@link #start()} starts a new, independent one. Not thread-safe.
     */
    public static final class Builder extends ClusterBuilder<Builder> {

        private Builder() {
        }

        /**
         * Starts a new cluster with these settings and returns once every broker is ready.
         *
         * @return a running cluster; the caller closes it
         * @throws KafkaException if the cluster did not start (its brokers are stopped and its
         *         directory deleted)
         */
        public EmbeddedKafkaCluster start() {
            return EmbeddedKafkaCluster.start(settings());
        }
    }

    private static EmbeddedKafkaCluster start(ClusterSettings settings) {
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
            ClusterSecurity security = settings.security();
            ClusterCredentials credentials = security.isSecured()
                    ? ClusterCredentials.create(security, directory.resolve("tls")) : null;
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(settings.brokers())
                    .setNumControllerNodes(1)
                    .setPerServerProperties(Map.of(CONTROLLER_NODE_ID,
                            EmbeddedBrokerConfig.controller(settings.brokers(), settings.brokerConfig())))
                    .setBaseDirectory(directory)
                    .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(true);
            Map<String, Object> config = EmbeddedBrokerConfig.brokers(settings.brokers(), settings.brokerConfig());
            if (credentials != null) {
                // the kit's own SASL set-up writes a JAAS file and sets java.security.auth.login.config JVM-wide:
                // the listeners are configured here instead, through properties the kit leaves alone
                credentials.brokerConfig(nodes.brokerListenerName().value(), nodes.controllerListenerName().value())
                        .forEach(config::putIfAbsent);
            }
            config.forEach(builder::setConfigProp);
            kit = builder.build();
            FormattingOutput.discard(kit::format);
            kit.startup();
            kit.waitForReadyBrokers();
            if (credentials != null && !credentials.scramUsers().isEmpty()) {
                ScramUsers.create(kit.bootstrapServers(), credentials, settings.waitTimeout());
            }
            EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(kit, directory, settings.waitTimeout(), settings.name(),
                    credentials);
            log.info("Started embedded Kafka cluster {} ({} broker(s), {}, {}) at {} in {} ms", cluster.clusterId,
                    settings.brokers(), cluster.name, security, cluster.bootstrapServers,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
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
                Directories.deleteRecursively(directory);
            } catch (IOException deleteFailure) {
                e.addSuppressed(deleteFailure);
            }
            if (e instanceof Error error) {
                throw error;
            }
            throw new KafkaException("could not start an embedded Kafka cluster of " + settings.brokers() + " broker(s): " + e, e);
        }
    }

    /**
     * Returns the label given with {@link Builder#name(String)}, else the cluster id.
     *
     * @return the label
     */
    @Override
    public String name() {
        return name;
    }

    /**
     * Returns the {@code bootstrap.servers} string of all brokers, e.g.
     * {@code localhost:40123,localhost:40125}. It stays valid for the life of the cluster: a broker
     * restarted with {@link #restartBroker(int)} listens on its former port again.
     *
     * @return the bootstrap servers, never empty
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public String bootstrapServers() {
        ensureOpen();
        return bootstrapServers;
    }

    /**
     * Returns the cluster id (random for each cluster), the one {@code Admin.describeCluster()} reports.
     *
     * @return the cluster id
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public String clusterId() {
        ensureOpen();
        return clusterId;
    }

    /**
     * Returns the number of brokers of the cluster, stopped ones included.
     *
     * @return the number of brokers
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public int brokerCount() {
        ensureOpen();
        return brokerPorts.size();
    }

    /**
     * Returns the ids of the brokers, stopped ones included, in ascending order. Broker ids start at 0;
     * broker 0 also hosts the cluster's controller.
     *
     * @return the broker ids, unmodifiable
     * @throws IllegalStateException after {@link #close()}
     */
    public Set<Integer> brokerIds() {
        ensureOpen();
        return Collections.unmodifiableSortedSet(new TreeSet<>(brokerPorts.keySet()));
    }

    /**
     * Returns the settings of a client of this cluster that may do everything: {@code bootstrap.servers}
     * and, on a secured cluster, the superuser's security settings.
     *
     * @return a new map, owned by the caller
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public Map<String, Object> clientConfig() {
        return clientConfig(ClusterSecurity.SUPERUSER);
    }

    /**
     * Returns the complete client settings of {@code user}; see {@link TestKafkaCluster#clientConfig(String)}.
     *
     * @param user a user of the cluster (any name with mutual TLS alone)
     * @return a new map, owned by the caller
     * @throws IllegalArgumentException if a SASL cluster has no such user
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public Map<String, Object> clientConfig(String user) {
        Map<String, Object> config = credentials == null ? new HashMap<>() : credentials.clientConfig(user);
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return config;
    }

    /**
     * Returns the principal the brokers see for {@code user}: {@code User:<user>} with SASL,
     * {@code User:CN=<user>} with mutual TLS, {@code User:ANONYMOUS} without security.
     *
     * @param user the user
     * @return the principal
     */
    @Override
    public String principal(String user) {
        return credentials == null ? TestKafkaCluster.super.principal(user) : credentials.principal(user);
    }

    /**
     * Returns an {@link Admin} client of this cluster, shared by all callers, created at the first call
     * and closed by {@link #close()}. Callers must not close it.
     *
     * @return the shared admin client
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public Admin admin() {
        ensureOpen();
        return admin.get();
    }

    /**
     * Returns the upper bound of every wait, set with {@link Builder#waitTimeout(Duration)} (60 s unless set).
     *
     * @return a positive duration
     */
    @Override
    public Duration waitTimeout() {
        return waitTimeout;
    }

    /**
     * Returns once every running broker knows the leader of each partition, and each leader answered a
     * {@code ListOffsets} request (asking a broker that does not know the topic yet gives
     * {@code UNKNOWN_TOPIC_OR_PARTITION}, which the admin client logs as an error).
     *
     * @param topic the topic
     * @param partitions the number of partitions the topic has
     * @throws TimeoutException if that does not happen within {@link #waitTimeout()}
     */
    @Override
    public void awaitTopicWritable(String topic, int partitions) {
        KafkaCalls.awaitCondition(() -> runningBrokersKnowLeaders(topic, partitions),
                "every running broker to know the leaders of the " + partitions + " partition(s) of topic " + topic, waitTimeout);
        TestKafkaCluster.super.awaitTopicWritable(topic, partitions);
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
                KafkaCalls.awaitCondition(() -> !liveBrokerIds().contains(brokerId),
                        "broker " + brokerId + " to leave the cluster " + clusterId, waitTimeout);
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
            KafkaCalls.awaitCondition(() -> liveBrokerIds().contains(brokerId),
                    "broker " + brokerId + " to rejoin the cluster " + clusterId, waitTimeout);
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
            admin.close();
            try {
                kit.close(); // also rethrows the first fault a broker or controller hit
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                failure = e;
            }
            try {
                Directories.deleteRecursively(baseDirectory);
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
            log.info("Closed embedded Kafka cluster {} ({})", clusterId, name);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaCluster{" + (name.equals(clusterId) ? "" : "name=" + name + ", ") + "clusterId=" + clusterId
                + ", bootstrapServers=" + bootstrapServers + (credentials == null ? "" : ", " + credentials)
                + (closed.get() ? ", closed" : "") + "}";
    }

    /** The directory holding all data of the cluster, for tests of this package. */
    Path baseDirectory() {
        return baseDirectory;
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
        Collection<Node> nodes = KafkaCalls.get(admin().describeCluster(
                new DescribeClusterOptions().timeoutMs(5_000)).nodes(), "describe cluster", waitTimeout);
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

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("embedded Kafka cluster " + clusterId + " is closed");
        }
    }
}
