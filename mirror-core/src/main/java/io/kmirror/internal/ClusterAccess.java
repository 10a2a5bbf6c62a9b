package io.kmirror.internal;

import io.kmirror.ClusterAccessException;
import io.kmirror.ClusterAccessException.Side;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import javax.annotation.Nullable;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.security.JaasContext;

/**
 * One side of the mirror as its clients present themselves to it: turns a refusal by that cluster
 * (failed authentication, a missing ACL) into a {@link ClusterAccessException} that names the side, the
 * principal and what was denied. The principal is read from the side's configuration only when a
 * refusal is named: the SASL user of {@code sasl.jaas.config} (read by Kafka's own JAAS parser), the
 * subject of the key store's certificate, or the anonymous user. Nothing secret goes into a message.
 * Thread-safe.
 */
public final class ClusterAccess {

    private static final String ANONYMOUS = "User:ANONYMOUS";

    private final Side side;
    private final Map<String, Object> config;

    private ClusterAccess(Side side, Map<String, ?> config) {
        this.side = side;
        this.config = Collections.unmodifiableMap(new HashMap<>(config));
    }

    /** The source side, whose clients use {@code consumerConfig}. */
    public static ClusterAccess source(Map<String, ?> consumerConfig) {
        return new ClusterAccess(Side.SOURCE, consumerConfig);
    }

    /** The destination side, whose clients use {@code producerConfig}. */
    public static ClusterAccess destination(Map<String, ?> producerConfig) {
        return new ClusterAccess(Side.DESTINATION, producerConfig);
    }

    /** Whether {@code e} or one of its causes is a failed authentication or a missing permission ({@link Faults#refusal}). */
    public static boolean isDenied(Throwable e) {
        return Faults.refusal(e) != null;
    }

    /**
     * The resource a refusal names: {@code topic a, b}, {@code group g}, {@code the cluster}; else {@code otherwise}.
     */
    public static String resource(Throwable e, String otherwise) {
        Throwable refusal = Faults.refusal(e);
        if (refusal instanceof TopicAuthorizationException topics && !topics.unauthorizedTopics().isEmpty()) {
            return "topic " + String.join(", ", new TreeSet<>(topics.unauthorizedTopics()));
        }
        if (refusal instanceof GroupAuthorizationException group && group.groupId() != null) {
            return "group " + group.groupId();
        }
        if (refusal instanceof ClusterAuthorizationException) {
            return "the cluster";
        }
        return otherwise;
    }

    /**
     * What a producer's refusal says it needs: WRITE on its topic or transactional id, IDEMPOTENT_WRITE on
     * the cluster (brokers before Kafka 2.8); for the offsets its transactions commit, READ on the group and
     * on the topic they are committed for.
     *
     * @param topic           the topic written, for a refusal that does not name it
     * @param transactionalId the producer's transactional id, or null
     */
    public static String producerNeeds(Throwable e, String topic, @Nullable String transactionalId) {
        Throwable refusal = Faults.refusal(e);
        if (transactionalId != null && refusal instanceof TransactionalIdAuthorizationException) {
            return "WRITE on transactional id " + transactionalId;
        }
        if (refusal instanceof GroupAuthorizationException) {
            return "READ on " + resource(e, "the transaction's group");
        }
        if (refusal instanceof ClusterAuthorizationException) {
            return "IDEMPOTENT_WRITE on the cluster";
        }
        boolean offsetCommit = refusal != null && String.valueOf(refusal.getMessage()).contains("OffsetCommit");
        return (offsetCommit ? "READ on " : "WRITE on ") + resource(e, topic);
    }

    /** The side. */
    public Side side() {
        return side;
    }

    /**
     * {@code e} itself unless it is a refusal by this cluster: then a {@link ClusterAccessException} naming
     * what was denied ({@code needed}, e.g. {@code WRITE on topic orders}). A refusal already named (by
     * either side) is returned as it is.
     */
    public RuntimeException named(RuntimeException e, String needed) {
        ClusterAccessException denial = denial(e, needed);
        return denial == null ? e : denial;
    }

    /**
     * The failure of a call: the refusal named, when the cluster refused ({@code needed} is what the call
     * needs, e.g. {@code CREATE on topic orders}); else what {@code otherwise} makes.
     */
    public KafkaException failure(Throwable cause, String needed, Supplier<KafkaException> otherwise) {
        ClusterAccessException denial = denial(cause, needed);
        return denial == null ? otherwise.get() : denial;
    }

    /** The refusal in {@code e} named, or null when {@code e} is no refusal. */
    @Nullable
    public ClusterAccessException denial(Throwable e, String needed) {
        ClusterAccessException named = find(e, ClusterAccessException.class);
        if (named != null) {
            return named;
        }
        Throwable refusal = Faults.refusal(e);
        if (refusal == null) {
            return null;
        }
        String principal = principal();
        String as = (principal == null ? "the principal of the " + side + " configuration" : principal) + " (" + protocol() + ")";
        if (refusal instanceof AuthenticationException authentication) {
            return new ClusterAccessException(side, principal, "authentication", side + " cluster: authentication of " + as
                    + " failed: " + describe(authentication) + ". Check the credentials in the " + side + " configuration ("
                    + credentialKeys() + "); retrying cannot help", e);
        }
        return new ClusterAccessException(side, principal, needed, side + " cluster: " + as + " is not allowed " + needed
                + ": " + describe(refusal) + ". Grant it with an ACL on the " + side + " cluster (kafka-acls.sh --add"
                + " --allow-principal " + (principal == null ? "<principal>" : principal) + " ...); retrying cannot help",
                e);
    }

    /** The principal the configuration gives this side's clients, or null when it does not say. */
    @Nullable
    String principal() {
        String protocol = protocol();
        if (protocol.startsWith("SASL")) {
            return saslUser();
        }
        if (protocol.equals("SSL")) {
            return certificateSubject();
        }
        return ANONYMOUS;
    }

    private String protocol() {
        Object protocol = config.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG);
        return protocol == null ? "PLAINTEXT" : protocol.toString().trim().toUpperCase(Locale.ROOT);
    }

    private String credentialKeys() {
        String protocol = protocol();
        String sasl = SaslConfigs.SASL_MECHANISM + ", " + SaslConfigs.SASL_JAAS_CONFIG;
        String ssl = "ssl.truststore.*, ssl.keystore.*";
        return protocol.equals("SASL_SSL") ? sasl + ", " + ssl : protocol.startsWith("SASL") ? sasl : ssl;
    }

    /** The user of a PLAIN or SCRAM login, as the brokers' default principal builder names it. */
    @Nullable
    private String saslUser() {
        Object mechanism = config.get(SaslConfigs.SASL_MECHANISM);
        String name = mechanism == null ? SaslConfigs.DEFAULT_SASL_MECHANISM : mechanism.toString().trim();
        Object jaas = config.get(SaslConfigs.SASL_JAAS_CONFIG);
        if (jaas == null || !(name.equals("PLAIN") || name.startsWith("SCRAM-"))) {
            return null; // Kerberos and OAuth principals are mapped by the brokers' rules
        }
        try {
            Password text = jaas instanceof Password password ? password : new Password(jaas.toString());
            JaasContext context = JaasContext.loadClientContext(Map.of(SaslConfigs.SASL_JAAS_CONFIG, text));
            String user = JaasContext.configEntryOption(context.configurationEntries(), "username", null);
            return user == null ? null : "User:" + user;
        } catch (RuntimeException e) {
            return null; // a JAAS text the client cannot parse either: its own error says so
        }
    }

    /** The subject of the key store's certificate (mutual TLS), or the anonymous user without a key store. */
    @Nullable
    private String certificateSubject() {
        Object location = config.get(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG);
        if (location == null || location.toString().isBlank()) {
            return config.containsKey(SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG) ? null : ANONYMOUS;
        }
        Object type = config.get(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG);
        Object password = config.get(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG);
        try (InputStream in = Files.newInputStream(Path.of(location.toString().trim()))) {
            KeyStore store = KeyStore.getInstance(type == null ? SslConfigs.DEFAULT_SSL_KEYSTORE_TYPE : type.toString().trim());
            store.load(in, password == null ? null : text(password).toCharArray());
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias) && store.getCertificate(alias) instanceof X509Certificate certificate) {
                    return "User:" + certificate.getSubjectX500Principal().getName();
                }
            }
            return null;
        } catch (Exception e) {
            return null; // unreadable with these settings: the client's own error says why
        }
    }

    private static String text(Object value) {
        return value instanceof Password password ? password.value() : value.toString();
    }

    /** The error's type and message, without a final period (the sentence goes on). */
    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? "" : ": " + e.getMessage().strip();
        return e.getClass().getSimpleName() + (message.endsWith(".") ? message.substring(0, message.length() - 1) : message);
    }

    @Nullable
    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return side + " cluster";
    }
}
