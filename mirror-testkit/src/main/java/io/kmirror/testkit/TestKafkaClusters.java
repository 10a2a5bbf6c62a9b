package io.kmirror.testkit;

import java.util.Objects;

/**
 * Starts test clusters of the kind the build asks for: {@link EmbeddedKafkaCluster} unless the system
 * property {@value #KIND_PROPERTY} or else the environment variable {@value #KIND_ENVIRONMENT_VARIABLE}
 * says {@code container}, e.g. {@code mvn test -Dkmirror.testkit=container}. The kit only reads these
 * settings; it never sets them.
 *
 * <pre>{@code
 * try (TestKafkaCluster kafka = TestKafkaClusters.start()) { ... }
 * try (TestKafkaCluster kafka = TestKafkaClusters.builder().brokers(3).start()) { ... }   // embedded only
 * }</pre>
 */
public final class TestKafkaClusters {

    /** The system property that chooses the kind: {@code embedded} (default) or {@code container}. */
    public static final String KIND_PROPERTY = "kmirror.testkit";
    /** The environment variable that chooses the kind when the system property is not set. */
    public static final String KIND_ENVIRONMENT_VARIABLE = "KMIRROR_TESTKIT";
    /** The system property that names the container image (default {@link ContainerKafkaCluster#defaultImage()}). */
    public static final String IMAGE_PROPERTY = "kmirror.testkit.image";
    /** The environment variable that names the container image when the system property is not set. */
    public static final String IMAGE_ENVIRONMENT_VARIABLE = "KMIRROR_TESTKIT_IMAGE";

    private static final String TESTCONTAINERS_CLASS = "org.testcontainers.kafka.KafkaContainer";

    private TestKafkaClusters() {
    }

    /**
     * Returns the kind the build asks for, read now from {@value #KIND_PROPERTY} and
     * {@value #KIND_ENVIRONMENT_VARIABLE}.
     *
     * @return the configured kind, {@link ClusterKind#EMBEDDED} if neither is set
     * @throws IllegalArgumentException if the setting names no kind
     */
    public static ClusterKind configuredKind() {
        return ClusterKind.select(System.getProperty(KIND_PROPERTY), System.getenv(KIND_ENVIRONMENT_VARIABLE));
    }

    /**
     * Starts a one-broker cluster of the {@linkplain #configuredKind() configured kind}.
     *
     * @return a running cluster; the caller closes it
     * @throws IllegalStateException if the container kind is asked for and cannot run (no
     *         Testcontainers on the class path, no Docker engine); the message says what to do
     */
    public static TestKafkaCluster start() {
        return builder().start();
    }

    /**
     * Returns a builder: the configured kind, one broker, default broker settings, 60 s wait timeout.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns whether clusters of {@code kind} can start here: always for {@link ClusterKind#EMBEDDED};
     * for {@link ClusterKind#CONTAINER} when Testcontainers is on the class path and finds a Docker engine.
     *
     * @param kind the kind
     * @return true if {@link Builder#start()} can work
     */
    public static boolean canStart(ClusterKind kind) {
        return kind == ClusterKind.EMBEDDED || testcontainersPresent() && ContainerKafkaCluster.isDockerAvailable();
    }

    /** Whether Testcontainers' Kafka module is on the class path (the kit declares it optional). */
    static boolean testcontainersPresent() {
        try {
            Class.forName(TESTCONTAINERS_CLASS, false, TestKafkaClusters.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * Settings of clusters to start: those of every test cluster ({@link ClusterBuilder}), the kind and a
     * container's image. Each {@link #start()} starts a new one. Not thread-safe.
     */
    public static final class Builder extends ClusterBuilder<Builder> {
        private ClusterKind kind;
        private String image;

        private Builder() {
        }

        /**
         * Sets the kind, overriding the configured one.
         *
         * @param kind the kind
         * @return this builder
         */
        public Builder kind(ClusterKind kind) {
            this.kind = Objects.requireNonNull(kind, "kind must not be null");
            return this;
        }

        /**
         * Sets the image a container cluster runs, overriding {@value #IMAGE_PROPERTY}; an embedded cluster
         * ignores it.
         *
         * @param image an image compatible with {@code apache/kafka}, e.g. {@code apache/kafka:3.9.1}
         * @return this builder
         */
        public Builder image(String image) {
            this.image = Objects.requireNonNull(image, "image must not be null");
            return this;
        }

        /**
         * Returns the kind {@link #start()} will start: the one set, else the configured one.
         *
         * @return the kind
         */
        public ClusterKind kind() {
            return kind == null ? configuredKind() : kind;
        }

        /**
         * Starts a new cluster with these settings.
         *
         * @return a running cluster; the caller closes it
         * @throws IllegalStateException if a container cluster cannot run here, or is asked for with
         *         more than one broker; the message says what to do
         */
        public TestKafkaCluster start() {
            return kind() == ClusterKind.CONTAINER ? startContainer() : startEmbedded();
        }

        private TestKafkaCluster startEmbedded() {
            return copyTo(EmbeddedKafkaCluster.builder()).start();
        }

        private TestKafkaCluster startContainer() {
            if (!testcontainersPresent()) {
                throw new IllegalStateException(KIND_PROPERTY + "=container needs org.testcontainers:kafka on the test"
                        + " class path; add it as a test dependency");
            }
            ContainerKafkaCluster.Builder builder = copyTo(ContainerKafkaCluster.builder());
            String configured = image != null ? image : System.getProperty(IMAGE_PROPERTY, System.getenv(IMAGE_ENVIRONMENT_VARIABLE));
            if (configured != null && !configured.isBlank()) {
                builder.image(configured.strip());
            }
            return builder.start();
        }

        @Override
        public String toString() {
            return "TestKafkaClusters.Builder{kind=" + (kind == null ? "configured" : kind)
                    + (image == null ? "" : ", image=" + image) + ", " + settings() + "}";
        }
    }
}
