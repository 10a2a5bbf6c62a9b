package io.kmirror.testkit;

import io.kmirror.testkit.internal.ClusterSettings;
import io.kmirror.testkit.internal.ContainerBrokerEnv;
import io.kmirror.testkit.internal.KafkaCalls;
import io.kmirror.testkit.internal.SharedAdmin;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.AppInfoParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * A one-broker Kafka cluster (KRaft, combined broker and controller) in a Docker container, from the
 * {@code apache/kafka} image or a compatible one ({@code apache/kafka-native}), through
 * Testcontainers' Kafka module: for teams who want to test against the exact broker image they run.
 *
 * <p>Needs a Docker engine and {@code org.testcontainers:kafka} on the test class path (the test kit
 * declares it optional). {@link #isDockerAvailable()} tells whether a start can work;
 * {@link MirrorClustersExtension} skips a test instead of starting a container without Docker.
 *
 * <p>Guarantees, besides the helpers of {@link TestKafkaCluster}: every cluster has a cluster id of its
 * own (a source and a destination are told apart, as a mirror's loop check needs); new topics get one
 * partition and one replica unless told; {@link #close()} stops and removes the container and is
 * idempotent. Thread-safe.
 */
public final class ContainerKafkaCluster implements TestKafkaCluster {

    private static final Logger log = LoggerFactory.getLogger(ContainerKafkaCluster.class);

    private final KafkaContainer container;
    private final String clusterId;
    private final String name;
    private final String bootstrapServers;
    private final Duration waitTimeout;
    private final SharedAdmin admin;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ContainerKafkaCluster(KafkaContainer container, String clusterId, String name, Duration waitTimeout) {
        this.container = container;
        this.clusterId = clusterId;
        this.name = name == null ? clusterId : name;
        this.bootstrapServers = container.getBootstrapServers();
        this.waitTimeout = waitTimeout;
        this.admin = new SharedAdmin(clientConfig(), clusterId);
    }

    /**
     * Starts a container of the {@linkplain #defaultImage() default image} with the default settings.
     *
     * @return a running cluster; the caller closes it
     * @throws IllegalStateException if there is no Docker engine
     * @throws KafkaException if the container did not start
     */
    public static ContainerKafkaCluster start() {
        return builder().start();
    }

    /**
     * Returns a builder for a cluster with other settings than the defaults.
     *
     * @return a new builder: the default image, default broker settings, 60 s wait timeout
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns {@code apache/kafka:<version of the kafka-clients on the class path>}, e.g.
     * {@code apache/kafka:4.3.1}: the broker of the clients the tests use.
     *
     * @return the image name
     */
    public static String defaultImage() {
        return "apache/kafka:" + AppInfoParser.getVersion();
    }

    /**
     * Returns whether Testcontainers finds a Docker engine it can use. Does not pull or start anything.
     *
     * @return true if containers can be started
     */
    public static boolean isDockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    /**
     * Settings of a container cluster to start: those of every test cluster ({@link ClusterBuilder}; one
     * broker only, no security) and the image. A builder may be used for several clusters. Not thread-safe.
     */
    public static final class Builder extends ClusterBuilder<Builder> {
        private String image = defaultImage();

        private Builder() {
        }

        /**
         * Sets the image, e.g. {@code apache/kafka:4.1.1} or {@code apache/kafka-native:4.1.1}
         * (default {@link #defaultImage()}).
         *
         * @param image an image compatible with {@code apache/kafka}
         * @return this builder
         */
        public Builder image(String image) {
            this.image = Objects.requireNonNull(image, "image must not be null");
            return this;
        }

        /**
         * Starts a new container with these settings (pulling the image if Docker does not have it) and
         * returns once the broker answers.
         *
         * @return a running cluster; the caller closes it
         * @throws IllegalStateException if there is no Docker engine, or more than one broker or security
         *         ({@code saslPlain}, {@code saslScram}, {@code ssl}) is asked for
         * @throws KafkaException if the container did not start (it is stopped)
         */
        public ContainerKafkaCluster start() {
            ClusterSettings settings = settings();
            if (settings.brokers() != 1) {
                throw new IllegalStateException("a container cluster has one broker, " + settings.brokers() + " were asked"
                        + " for; use an embedded cluster (EmbeddedKafkaCluster, or kmirror.testkit=embedded)");
            }
            if (settings.security().isSecured()) {
                throw new IllegalStateException("a container cluster runs without security; " + settings.security()
                        + " was asked for: use an embedded cluster (EmbeddedKafkaCluster, or kmirror.testkit=embedded)");
            }
            Duration waitTimeout = settings.waitTimeout();
            if (!isDockerAvailable()) {
                throw new IllegalStateException("cannot start a ContainerKafkaCluster: Testcontainers finds no Docker engine;"
                        + " use the embedded cluster (the default, kmirror.testkit=embedded) or start Docker");
            }
            long startNanos = System.nanoTime();
            String clusterId = Uuid.randomUuid().toString();
            KafkaContainer container = new KafkaContainer(image)
                    .withEnv(ContainerBrokerEnv.of(clusterId, settings.brokerConfig()))
                    .withStartupTimeout(waitTimeout);
            try {
                container.start();
                ContainerKafkaCluster cluster = new ContainerKafkaCluster(container, clusterId, settings.name(), waitTimeout);
                String reported = KafkaCalls.get(cluster.admin().describeCluster().clusterId(), "describe cluster", waitTimeout);
                if (!clusterId.equals(reported)) {
                    throw new IllegalStateException("the container reports cluster id " + reported + " instead of " + clusterId);
                }
                log.info("Started container Kafka cluster {} ({}, {}) at {} in {} ms", clusterId, image, cluster.name,
                        cluster.bootstrapServers, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
                return cluster;
            } catch (RuntimeException | Error e) {
                try {
                    container.stop();
                } catch (RuntimeException stopFailure) {
                    e.addSuppressed(stopFailure);
                }
                if (e instanceof Error error) {
                    throw error;
                }
                throw new KafkaException("could not start a Kafka container from " + image + ": " + e, e);
            }
        }

        @Override
        public String toString() {
            return "ContainerKafkaCluster.Builder{image=" + image + ", " + settings() + "}";
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
     * Returns the broker's address as mapped to this host, e.g. {@code localhost:32781}.
     *
     * @return the bootstrap servers
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public String bootstrapServers() {
        ensureOpen();
        return bootstrapServers;
    }

    /**
     * Returns the cluster id, random for each container.
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
     * Returns 1: a container runs one combined broker and controller.
     *
     * @return 1
     */
    @Override
    public int brokerCount() {
        return 1;
    }

    /**
     * Returns the shared admin client of this cluster; callers must not close it.
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
     * Returns the upper bound of every wait, set with {@link Builder#waitTimeout(Duration)}.
     *
     * @return a positive duration
     */
    @Override
    public Duration waitTimeout() {
        return waitTimeout;
    }

    /**
     * Returns the image the container runs.
     *
     * @return the image name
     */
    public String image() {
        return container.getDockerImageName();
    }

    /**
     * Closes the shared admin client, then stops and removes the container. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            admin.close();
        } finally {
            container.stop();
            log.info("Closed container Kafka cluster {} ({})", clusterId, name);
        }
    }

    @Override
    public String toString() {
        return "ContainerKafkaCluster{" + (name.equals(clusterId) ? "" : "name=" + name + ", ") + "clusterId=" + clusterId
                + ", image=" + container.getDockerImageName() + ", bootstrapServers=" + bootstrapServers
                + (closed.get() ? ", closed" : "") + "}";
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("container Kafka cluster " + clusterId + " is closed");
        }
    }
}
