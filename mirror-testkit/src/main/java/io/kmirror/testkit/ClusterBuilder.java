package io.kmirror.testkit;

import io.kmirror.testkit.internal.ClusterSecurity;
import io.kmirror.testkit.internal.ClusterSettings;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The settings every kind of test cluster takes, defined once: brokers, broker configuration, the wait
 * timeout, a name and security (SASL users, TLS). {@link EmbeddedKafkaCluster.Builder}, {@link ContainerKafkaCluster.Builder} and
 * {@link TestKafkaClusters.Builder} extend it with what only they take; {@link MirrorClusters} and
 * {@link Cluster} are read through it, so a setting is checked the same way wherever it is given.
 * A builder may start several clusters; not thread-safe.
 *
 * @param <B> the concrete builder, which every setter returns
 */
public abstract sealed class ClusterBuilder<B extends ClusterBuilder<B>>
        permits EmbeddedKafkaCluster.Builder, ContainerKafkaCluster.Builder, TestKafkaClusters.Builder {

    /** The wait timeout unless one is set. */
    public static final Duration DEFAULT_WAIT_TIMEOUT = Duration.ofSeconds(60);

    private int brokers = 1;
    private final Map<String, Object> brokerConfig = new LinkedHashMap<>();
    private Duration waitTimeout = DEFAULT_WAIT_TIMEOUT;
    private String name;
    private ClusterSecurity security = ClusterSecurity.NONE;

    ClusterBuilder() {
    }

    /**
     * Sets the number of brokers (default 1). In an embedded cluster broker 0 is also the only
     * controller; a container cluster has exactly one broker.
     *
     * @param brokers at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code brokers < 1}
     */
    public B brokers(int brokers) {
        if (brokers < 1) {
            throw new IllegalArgumentException("brokers must be at least 1, was " + brokers);
        }
        this.brokers = brokers;
        return self();
    }

    /**
     * Sets a broker (and controller) configuration property on every node, replacing the kit's default
     * for that key, e.g. {@code brokerConfig("auto.create.topics.enable", false)}.
     *
     * @param key a Kafka broker configuration key
     * @param value its value: a String, a number or a boolean (passed on as its string form), or an
     *        object of the type an embedded broker expects
     * @return this builder
     */
    public B brokerConfig(String key, Object value) {
        Objects.requireNonNull(key, "key must not be null");
        Objects.requireNonNull(value, "value of " + key + " must not be null");
        // the broker parses strings into any type, but rejects e.g. an Integer for a short setting
        brokerConfig.put(key, value instanceof Number || value instanceof Boolean ? value.toString() : value);
        return self();
    }

    /**
     * Sets the upper bound of every wait of the cluster: its start (a container's), a new topic becoming
     * writable, a read to the end, a broker coming back (default 60 s).
     *
     * @param timeout positive
     * @return this builder
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public B waitTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("waitTimeout must be positive, was " + timeout);
        }
        this.waitTimeout = timeout;
        return self();
    }

    /**
     * Sets the label that failure messages use for the cluster (default: its cluster id).
     *
     * @param name e.g. {@code "source"}
     * @return this builder
     */
    public B name(String name) {
        this.name = Objects.requireNonNull(name, "name must not be null");
        return self();
    }

    /**
     * Secures the cluster with SASL/PLAIN: clients authenticate as one of these users (principal
     * {@code User:<name>}). The brokers run Kafka's {@code StandardAuthorizer}: a user may do only what
     * an ACL allows it ({@code admin().createAcls(..)}, with {@link TestKafkaCluster#principal(String)});
     * the superuser {@code admin}, whose settings {@link TestKafkaCluster#clientConfig()} returns, may do
     * everything. Its password is random unless these users give one. {@link TestKafkaCluster#clientConfig(String)}
     * returns a user's complete settings. With {@link #ssl()}, the listener is {@code SASL_SSL}, else
     * {@code SASL_PLAINTEXT}. Embedded clusters only.
     *
     * @param usersToPasswords at least one user; names of letters, digits, '.', '_' and '-'
     * @return this builder
     * @throws IllegalArgumentException if a name or password is not valid, or {@link #saslScram} was set
     */
    public B saslPlain(Map<String, String> usersToPasswords) {
        security = security.withSasl(ClusterSecurity.Sasl.PLAIN, Objects.requireNonNull(usersToPasswords, "usersToPasswords"));
        return self();
    }

    /**
     * Secures the cluster with SASL/SCRAM: as {@link #saslPlain}, with the users' credentials created in
     * the cluster (SCRAM-SHA-256 and SCRAM-SHA-512) before {@code start()} returns. Client settings use
     * {@code SCRAM-SHA-512}; {@code sasl.mechanism=SCRAM-SHA-256} works as well. Embedded clusters only.
     *
     * @param usersToPasswords at least one user; names of letters, digits, '.', '_' and '-'
     * @return this builder
     * @throws IllegalArgumentException if a name or password is not valid, or {@link #saslPlain} was set
     */
    public B saslScram(Map<String, String> usersToPasswords) {
        security = security.withSasl(ClusterSecurity.Sasl.SCRAM, Objects.requireNonNull(usersToPasswords, "usersToPasswords"));
        return self();
    }

    /**
     * Secures the cluster's listener with TLS. The cluster gets a certificate authority of its own and its
     * brokers a certificate for {@code localhost} signed by it; key and trust stores are PKCS12 files in
     * the cluster's temporary directory, deleted by {@code close()}, with random passwords. With SASL
     * ({@link #saslPlain}, {@link #saslScram}) the listener is {@code SASL_SSL}; alone it is {@code SSL}
     * with client certificates required (mutual TLS): {@link TestKafkaCluster#clientConfig(String)} makes
     * a certificate for any user, whose principal is {@code User:CN=<user>}, and the brokers run Kafka's
     * {@code StandardAuthorizer} with the superuser {@code CN=admin}. Embedded clusters only.
     *
     * @return this builder
     */
    public B ssl() {
        security = security.withSsl();
        return self();
    }

    /** The settings given so far. */
    ClusterSettings settings() {
        return new ClusterSettings(brokers, brokerConfig, waitTimeout, name, security);
    }

    /** Copies every setting of this builder to {@code other}. */
    <O extends ClusterBuilder<O>> O copyTo(O other) {
        other.brokers(brokers).waitTimeout(waitTimeout);
        brokerConfig.forEach(other::brokerConfig);
        if (name != null) {
            other.name(name);
        }
        ((ClusterBuilder<O>) other).security = security;
        return other;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    @Override
    public String toString() {
        return getClass().getEnclosingClass().getSimpleName() + ".Builder{" + settings() + "}";
    }
}
