package io.kmirror.testkit.internal;

import io.kmirror.testkit.Cluster;
import io.kmirror.testkit.ClusterKind;
import io.kmirror.testkit.MirrorClusters;
import io.kmirror.testkit.TestKafkaClusters;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The settings of {@link MirrorClusters}, read into the builders of its two clusters, so that they are
 * checked as any {@link TestKafkaClusters.Builder} checks them.
 *
 * @param source      sets up the source's builder
 * @param destination sets up the destination's builder
 * @param perMethod   whether each test method gets clusters of its own
 */
public record PairSettings(Consumer<TestKafkaClusters.Builder> source, Consumer<TestKafkaClusters.Builder> destination,
        boolean perMethod) {

    /** The settings when a class uses the extension without the annotation. */
    public static final PairSettings DEFAULTS = new PairSettings(builder -> { }, builder -> { }, false);

    /**
     * Reads an annotation and checks it by setting up a builder for each side.
     *
     * @param annotation the annotation
     * @param where the class that carries it, for messages
     * @return the settings
     * @throws ExtensionConfigurationException naming the bad attribute
     */
    public static PairSettings of(MirrorClusters annotation, Class<?> where) {
        PairSettings settings = new PairSettings(side(annotation, annotation.source()), side(annotation, annotation.destination()),
                annotation.perMethod());
        String on = "@MirrorClusters on " + where.getName() + ": ";
        try {
            settings.source().accept(TestKafkaClusters.builder());
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException(on + "source: " + e.getMessage(), e);
        }
        try {
            settings.destination().accept(TestKafkaClusters.builder());
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException(on + "destination: " + e.getMessage(), e);
        }
        return settings;
    }

    /**
     * Whether either side needs a container (the configured kind, or an image of its own).
     *
     * @param annotation the annotation, or null
     * @return true if a Docker engine is needed
     */
    public static boolean needsContainers(MirrorClusters annotation) {
        return TestKafkaClusters.configuredKind() == ClusterKind.CONTAINER
                || annotation != null && (!annotation.source().image().isEmpty() || !annotation.destination().image().isEmpty());
    }

    private static Consumer<TestKafkaClusters.Builder> side(MirrorClusters both, Cluster own) {
        return builder -> {
            builder.brokers(own.brokers() == 0 ? both.brokers() : own.brokers());
            int seconds = own.waitTimeoutSeconds() == 0 ? both.waitTimeoutSeconds() : own.waitTimeoutSeconds();
            builder.waitTimeout(Duration.ofSeconds(seconds));
            for (String entry : both.brokerConfig()) {
                brokerConfig(builder, entry);
            }
            for (String entry : own.brokerConfig()) {
                brokerConfig(builder, entry);
            }
            if (own.saslPlain().length > 0) {
                builder.saslPlain(users(own.saslPlain(), "saslPlain"));
            }
            if (own.saslScram().length > 0) {
                builder.saslScram(users(own.saslScram(), "saslScram"));
            }
            if (own.ssl()) {
                builder.ssl();
            }
            if (!own.image().isEmpty()) {
                builder.kind(ClusterKind.CONTAINER).image(own.image());
            }
        };
    }

    private static Map<String, String> users(String[] entries, String attribute) {
        Map<String, String> users = new LinkedHashMap<>();
        for (String entry : entries) {
            int equals = entry.indexOf('=');
            if (equals < 1) {
                // the entry holds a password: only say where it is
                throw new IllegalArgumentException(attribute + " entry number " + (users.size() + 1) + " is not user=password");
            }
            users.put(entry.substring(0, equals).strip(), entry.substring(equals + 1));
        }
        return users;
    }

    private static void brokerConfig(TestKafkaClusters.Builder builder, String entry) {
        int equals = entry.indexOf('=');
        if (equals < 1) {
            throw new IllegalArgumentException("brokerConfig entry '" + entry + "' is not key=value");
        }
        builder.brokerConfig(entry.substring(0, equals).strip(), entry.substring(equals + 1).strip());
    }
}
