package io.kmirror.testkit;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which implementation of {@link TestKafkaCluster} {@link TestKafkaClusters} starts. */
public enum ClusterKind {
    /** {@link EmbeddedKafkaCluster}: brokers in this JVM; the default. */
    EMBEDDED,
    /** {@link ContainerKafkaCluster}: one broker in a Docker container. */
    CONTAINER;

    /**
     * Parses a setting's value, ignoring case and surrounding spaces: {@code embedded} or {@code container}.
     *
     * @param value the value
     * @param from where the value comes from, for the error message
     * @return the kind
     * @throws IllegalArgumentException naming the valid values if {@code value} is none of them
     */
    static ClusterKind parse(String value, String from) {
        String normalized = value.strip().toUpperCase(Locale.ROOT);
        for (ClusterKind kind : values()) {
            if (kind.name().equals(normalized)) {
                return kind;
            }
        }
        throw new IllegalArgumentException(from + " is '" + value + "'; use one of "
                + Arrays.stream(values()).map(kind -> kind.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }

    /**
     * Chooses the kind from a system property's value and an environment variable's value: the
     * property wins; neither set (or blank) means {@link #EMBEDDED}.
     *
     * @param propertyValue the value of {@value TestKafkaClusters#KIND_PROPERTY}, or null
     * @param environmentValue the value of {@value TestKafkaClusters#KIND_ENVIRONMENT_VARIABLE}, or null
     * @return the kind
     * @throws IllegalArgumentException if the value that counts is no kind
     */
    static ClusterKind select(String propertyValue, String environmentValue) {
        if (propertyValue != null && !propertyValue.isBlank()) {
            return parse(propertyValue, "system property " + TestKafkaClusters.KIND_PROPERTY);
        }
        if (environmentValue != null && !environmentValue.isBlank()) {
            return parse(environmentValue, "environment variable " + TestKafkaClusters.KIND_ENVIRONMENT_VARIABLE);
        }
        return EMBEDDED;
    }
}
