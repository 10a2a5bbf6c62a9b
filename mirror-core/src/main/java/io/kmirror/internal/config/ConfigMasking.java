package io.kmirror.internal.config;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.types.Password;

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
    /** A JAAS option, {@code key=value} or {@code key="value"}. */
    private static final Pattern JAAS_OPTION = Pattern.compile("([A-Za-z0-9_.-]+)\\s*=\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^\\s;\"]+))");
    private static final Set<String> JAAS_FLAGS = Set.of("required", "requisite", "sufficient", "optional");
    /** Shorter values are not searched for in text: they would match inside ordinary words. */
    private static final int MIN_SCRUBBED_LENGTH = 4;

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

    /**
     * {@code text} with every secret of {@code config} it contains replaced by {@value #HIDDEN}: for text
     * that quotes what a Kafka client said about the configuration. Kafka's JAAS parser quotes a token it
     * cannot place ("Invalid login module control flag '...'"), which may be a misplaced password; so
     * besides the values of the secret keys, every token of {@code sasl.jaas.config} counts as secret but
     * the login module's class, the control flag, the option names and the {@code username}. Values
     * shorter than {@value #MIN_SCRUBBED_LENGTH} characters are left, as they would match inside words.
     */
    public static String scrub(String text, Map<String, ?> config) {
        String scrubbed = text;
        for (String secret : secretValues(config)) {
            if (secret.length() >= MIN_SCRUBBED_LENGTH) {
                scrubbed = scrubbed.replace(secret, HIDDEN);
            }
        }
        return scrubbed;
    }

    private static Set<String> secretValues(Map<String, ?> config) {
        Set<String> secrets = new HashSet<>();
        config.forEach((key, value) -> {
            if (value != null && isSecret(key)) {
                String text = value instanceof Password password ? password.value() : value.toString();
                secrets.add(text.trim());
                if (key.equals(SaslConfigs.SASL_JAAS_CONFIG)) {
                    secrets.addAll(jaasTokens(text));
                }
            }
        });
        return secrets;
    }

    /** The tokens of a JAAS text but the module class, flags, option names and the user name. */
    private static Set<String> jaasTokens(String jaas) {
        Set<String> tokens = new HashSet<>();
        Matcher option = JAAS_OPTION.matcher(jaas);
        StringBuilder rest = new StringBuilder();
        int last = 0;
        while (option.find()) {
            rest.append(jaas, last, option.start()).append(' ');
            last = option.end();
            if (!option.group(1).equals("username")) {
                tokens.add(option.group(2) != null ? option.group(2) : option.group(3));
            }
        }
        rest.append(jaas.substring(last));
        for (String token : rest.toString().split("[\\s;=\"]+")) {
            if (!token.isEmpty() && !token.contains(".") && !JAAS_FLAGS.contains(token.toLowerCase(Locale.ROOT))) {
                tokens.add(token);
            }
        }
        return tokens;
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
