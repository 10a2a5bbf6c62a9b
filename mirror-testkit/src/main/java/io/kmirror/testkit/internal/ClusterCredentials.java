package io.kmirror.testkit.internal;

import io.kmirror.testkit.internal.ClusterSecurity.Sasl;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * The secrets of one secured test cluster and the settings made from them: its brokers' listener
 * settings and each user's client settings. A SASL cluster has a superuser {@value ClusterSecurity#SUPERUSER}
 * (a random password unless the users give one), which the brokers also use among themselves; a
 * SCRAM cluster lets that superuser in with PLAIN too, so that the SCRAM credentials can be created
 * once the cluster runs. A TLS cluster has a certificate authority of its own ({@link TlsStores});
 * without SASL its clients authenticate with certificates ({@code CN=<user>}), made on demand for any
 * user. The controller listener is secured like the brokers' one, so that no anonymous principal needs
 * rights. Thread-safe.
 */
public final class ClusterCredentials {

    /** The SCRAM mechanism of the client settings; the cluster accepts SCRAM-SHA-256 as well. */
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

    private static final String BROKER = "broker";
    private static final String PLAIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";
    private static final String SCRAM_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";

    private final ClusterSecurity security;
    private final Map<String, String> passwords;
    private final TlsStores tls;

    private ClusterCredentials(ClusterSecurity security, Map<String, String> passwords, TlsStores tls) {
        this.security = security;
        this.passwords = passwords;
        this.tls = tls;
    }

    /**
     * Makes the secrets of a cluster secured as {@code security} says.
     *
     * @param security how the cluster is secured; {@link ClusterSecurity#isSecured()}
     * @param directory where the key and trust stores are written, deleted with the cluster
     * @return the credentials
     */
    public static ClusterCredentials create(ClusterSecurity security, Path directory) {
        Map<String, String> passwords = new HashMap<>(security.users());
        if (security.sasl() != Sasl.NONE) {
            byte[] random = new byte[12];
            new SecureRandom().nextBytes(random);
            passwords.putIfAbsent(ClusterSecurity.SUPERUSER, HexFormat.of().formatHex(random));
        }
        return new ClusterCredentials(security, Map.copyOf(passwords), security.ssl() ? TlsStores.create(directory) : null);
    }

    /**
     * Returns the broker and controller settings of the cluster.
     *
     * @param brokerListener the brokers' listener name, e.g. {@code EXTERNAL}
     * @param controllerListener the controller's listener name, e.g. {@code CONTROLLER}
     * @return the settings, a new map
     */
    public Map<String, String> brokerConfig(String brokerListener, String controllerListener) {
        Map<String, String> config = new LinkedHashMap<>();
        String external = "listener.name." + brokerListener.toLowerCase(Locale.ROOT) + ".";
        String controller = "listener.name." + controllerListener.toLowerCase(Locale.ROOT) + ".";
        SecurityProtocol controllerProtocol = security.sasl() == Sasl.NONE ? SecurityProtocol.SSL : SecurityProtocol.SASL_PLAINTEXT;
        config.put("listener.security.protocol.map", brokerListener + ":" + protocol() + "," + controllerListener + ":" + controllerProtocol);
        config.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        config.put("allow.everyone.if.no.acl.found", "false");
        if (security.sasl() == Sasl.NONE) {
            config.put("super.users", "User:CN=" + BROKER + ";" + principal(ClusterSecurity.SUPERUSER));
            config.put(external + "ssl.client.auth", "required");
            config.put(controller + "ssl.client.auth", "required");
            serverStores(config, controller);
        } else {
            config.put("super.users", principal(ClusterSecurity.SUPERUSER));
            String admin = jaas(PLAIN_MODULE, ClusterSecurity.SUPERUSER);
            String plainUsers = security.sasl() == Sasl.PLAIN ? passwords.keySet().stream().sorted()
                    .map(user -> " user_" + user + "=" + quote(passwords.get(user))).collect(Collectors.joining())
                    : " user_" + ClusterSecurity.SUPERUSER + "=" + quote(passwords.get(ClusterSecurity.SUPERUSER));
            String plain = admin.substring(0, admin.length() - 1) + plainUsers + ";";
            config.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
            config.put("sasl.mechanism.controller.protocol", "PLAIN");
            config.put(external + "sasl.enabled.mechanisms", security.sasl() == Sasl.PLAIN ? "PLAIN" : "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512");
            config.put(external + "plain.sasl.jaas.config", plain);
            if (security.sasl() == Sasl.SCRAM) {
                config.put(external + "scram-sha-256.sasl.jaas.config", SCRAM_MODULE + " required;");
                config.put(external + "scram-sha-512.sasl.jaas.config", SCRAM_MODULE + " required;");
            }
            config.put(controller + "sasl.enabled.mechanisms", "PLAIN");
            config.put(controller + "plain.sasl.jaas.config", plain);
        }
        if (security.ssl()) {
            serverStores(config, external);
        }
        return config;
    }

    /**
     * Returns the security settings of {@code user}'s clients (no {@code bootstrap.servers}).
     *
     * @param user a user of the cluster; with TLS and no SASL, any name (its certificate is made on demand)
     * @return the settings, a new map
     * @throws IllegalArgumentException if a SASL cluster has no such user
     */
    public Map<String, Object> clientConfig(String user) {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol().name);
        if (security.sasl() != Sasl.NONE) {
            if (!passwords.containsKey(user)) {
                throw new IllegalArgumentException("the cluster has no user " + user + "; its users are "
                        + new java.util.TreeSet<>(passwords.keySet()));
            }
            boolean plain = security.sasl() == Sasl.PLAIN;
            config.put(SaslConfigs.SASL_MECHANISM, plain ? "PLAIN" : SCRAM_MECHANISM);
            config.put(SaslConfigs.SASL_JAAS_CONFIG, jaas(plain ? PLAIN_MODULE : SCRAM_MODULE, user));
        }
        if (security.ssl()) {
            TlsStores.Store trust = tls.trustStore();
            config.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
            config.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, trust.path().toString());
            config.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, trust.password());
            if (security.sasl() == Sasl.NONE) {
                TlsStores.Store key = tls.keyStore(user);
                config.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PKCS12");
                config.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, key.path().toString());
                config.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, key.password());
                config.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, key.password());
            }
        }
        return config;
    }

    /**
     * Returns the client settings of the superuser over the PLAIN mechanism, which every SASL cluster
     * accepts for it: what creates the SCRAM users at the start.
     *
     * @return the settings, a new map
     */
    public Map<String, Object> plainSuperuserConfig() {
        Map<String, Object> config = clientConfig(ClusterSecurity.SUPERUSER);
        config.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        config.put(SaslConfigs.SASL_JAAS_CONFIG, jaas(PLAIN_MODULE, ClusterSecurity.SUPERUSER));
        return config;
    }

    /**
     * Returns the users whose SCRAM credentials the cluster needs, with their passwords; empty unless SCRAM.
     *
     * @return user to password, unmodifiable
     */
    public Map<String, String> scramUsers() {
        return security.sasl() == Sasl.SCRAM ? passwords : Map.of();
    }

    /**
     * Returns the principal the brokers see for {@code user}: {@code User:<user>} with SASL,
     * {@code User:CN=<user>} with mutual TLS.
     *
     * @param user the user
     * @return the principal, as ACLs name it
     */
    public String principal(String user) {
        return security.sasl() == Sasl.NONE ? "User:CN=" + user : "User:" + user;
    }

    private SecurityProtocol protocol() {
        if (security.sasl() == Sasl.NONE) {
            return SecurityProtocol.SSL;
        }
        return security.ssl() ? SecurityProtocol.SASL_SSL : SecurityProtocol.SASL_PLAINTEXT;
    }

    /** The brokers' key store (their certificate also identifies them to each other) and the trust store. */
    private void serverStores(Map<String, String> config, String prefix) {
        TlsStores.Store key = tls.keyStore(BROKER);
        TlsStores.Store trust = tls.trustStore();
        config.put(prefix + "ssl.keystore.type", "PKCS12");
        config.put(prefix + "ssl.keystore.location", key.path().toString());
        config.put(prefix + "ssl.keystore.password", key.password());
        config.put(prefix + "ssl.key.password", key.password());
        config.put(prefix + "ssl.truststore.type", "PKCS12");
        config.put(prefix + "ssl.truststore.location", trust.path().toString());
        config.put(prefix + "ssl.truststore.password", trust.password());
    }

    private String jaas(String module, String user) {
        return module + " required username=" + quote(user) + " password=" + quote(passwords.get(user)) + ";";
    }

    /** A JAAS option value: quoted, with backslashes and quotes escaped. */
    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The mechanism and the users, never a password. */
    @Override
    public String toString() {
        return security.toString();
    }
}
