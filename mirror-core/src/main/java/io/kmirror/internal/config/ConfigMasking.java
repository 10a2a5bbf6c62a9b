package io.kmirror.internal.config;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * Hides secrets in client configurations before they are logged or printed. A secret is what Kafka's
 * own client definitions type as a password ({@code ConfigDef.Type.PASSWORD}: {@code ssl.key.password},
 * {@code ssl.keystore.password}, {@code ssl.keystore.key}, {@code sasl.jaas.config}, ...), not a guess
 * from the key's name.
 */
public final class ConfigMasking {

    /** What a secret value is replaced with (as Kafka's own {@code Password.toString()}). */
    public static final String HIDDEN = "[hidden]";

    /** The password-typed keys of the consumer, producer and admin definitions, and the JAAS config. */
    private static final Set<String> SECRET_KEYS = secretKeys();

    private ConfigMasking() {
    }

    /** Whether the value of {@code key} is a secret. */
    public static boolean isSecret(String key) {
        return SECRET_KEYS.contains(key);
    }

    /** A sorted copy of {@code config} with every secret value replaced by {@value #HIDDEN}. */
    public static Map<String, Object> mask(Map<String, ?> config) {
        Map<String, Object> masked = new TreeMap<>();
        config.forEach((k, v) -> masked.put(k, isSecret(k) ? HIDDEN : v));
        return masked;
    }

    private static Set<String> secretKeys() {
        Set<String> keys = new HashSet<>();
        for (ConfigDef definition : new ConfigDef[] {ConsumerConfig.configDef(), ProducerConfig.configDef(),
            AdminClientConfig.configDef()}) {
            definition.configKeys().forEach((key, spec) -> {
                if (spec.type == ConfigDef.Type.PASSWORD) {
                    keys.add(key);
                }
            });
        }
        keys.add(SaslConfigs.SASL_JAAS_CONFIG);
        return Set.copyOf(keys);
    }
}
