package io.kmirror.internal.config;

import java.util.Map;
import java.util.TreeMap;

/** Hides secrets in client configurations before they are logged or printed. */
public final class ConfigMasking {

    /** What a secret value is replaced with. */
    public static final String HIDDEN = "[hidden]";

    private ConfigMasking() {
    }

    /** Whether the value of {@code key} is a secret: JAAS configs, passwords, SSL keys. */
    public static boolean isSecret(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return k.equals("sasl.jaas.config") || k.endsWith("jaas.config") || k.endsWith(".password")
                || k.contains("password") || k.startsWith("ssl.key") || k.contains(".ssl.key")
                || k.endsWith("secret") || k.contains("client.secret");
    }

    /** A sorted copy of {@code config} with every secret value replaced by {@value #HIDDEN}. */
    public static Map<String, Object> mask(Map<String, ?> config) {
        Map<String, Object> masked = new TreeMap<>();
        config.forEach((k, v) -> masked.put(k, isSecret(k) ? HIDDEN : v));
        return masked;
    }
}
