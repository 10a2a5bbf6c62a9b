package io.kmirror.testkit.internal;

import io.kmirror.testkit.MirrorClusters;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The settings of {@link MirrorClusters}, checked.
 *
 * @param brokers brokers per cluster
 * @param brokerConfig broker settings of both clusters
 * @param perMethod whether each test method gets clusters of its own
 * @param waitTimeout the clusters' wait timeout
 */
public record ClusterSettings(int brokers, Map<String, String> brokerConfig, boolean perMethod, Duration waitTimeout) {

    /** The settings when a class uses the extension without the annotation. */
    public static final ClusterSettings DEFAULTS = new ClusterSettings(1, Map.of(), false, Duration.ofSeconds(60));

    /**
     * Reads and checks an annotation.
     *
     * @param annotation the annotation
     * @param where the class that carries it, for messages
     * @return the settings
     * @throws ExtensionConfigurationException naming the bad attribute
     */
    public static ClusterSettings of(MirrorClusters annotation, Class<?> where) {
        String on = "@MirrorClusters on " + where.getName();
        if (annotation.brokers() < 1) {
            throw new ExtensionConfigurationException(on + ": brokers must be at least 1, was " + annotation.brokers());
        }
        if (annotation.waitTimeoutSeconds() < 1) {
            throw new ExtensionConfigurationException(on + ": waitTimeoutSeconds must be at least 1, was "
                    + annotation.waitTimeoutSeconds());
        }
        Map<String, String> config = new LinkedHashMap<>();
        for (String entry : annotation.brokerConfig()) {
            int equals = entry.indexOf('=');
            if (equals < 1) {
                throw new ExtensionConfigurationException(on + ": brokerConfig entry '" + entry + "' is not key=value");
            }
            config.put(entry.substring(0, equals).strip(), entry.substring(equals + 1).strip());
        }
        return new ClusterSettings(annotation.brokers(), Map.copyOf(config), annotation.perMethod(),
                Duration.ofSeconds(annotation.waitTimeoutSeconds()));
    }
}
