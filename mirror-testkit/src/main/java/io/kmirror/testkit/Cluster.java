package io.kmirror.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The settings of one side of {@link MirrorClusters}, e.g. a source of an older Kafka version or a
 * destination with a create-topic policy:
 *
 * <pre>{@code
 * @MirrorClusters(source = @Cluster(image = "apache/kafka:3.9.1"),
 *         destination = @Cluster(brokers = 3, brokerConfig = "auto.create.topics.enable=false"))
 *
 * @MirrorClusters(source = @Cluster(saslScram = "mirror=mirror-secret"), destination = @Cluster(ssl = true))
 * }</pre>
 *
 * <p>Each attribute left at its default takes what {@link MirrorClusters} says for both sides; the
 * settings are checked as {@link ClusterBuilder} checks them.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface Cluster {

    /**
     * The number of brokers of this side; 0 takes {@link MirrorClusters#brokers()}.
     *
     * @return at least 1, or 0; default 0
     */
    int brokers() default 0;

    /**
     * Broker settings of this side, each {@code "key=value"}, applied after {@link MirrorClusters#brokerConfig()}
     * (so a key given in both takes this value).
     *
     * @return the settings; default none
     */
    String[] brokerConfig() default {};

    /**
     * The upper bound, in seconds, of every wait of this side's helpers; 0 takes
     * {@link MirrorClusters#waitTimeoutSeconds()}.
     *
     * @return at least 1, or 0; default 0
     */
    int waitTimeoutSeconds() default 0;

    /**
     * SASL/PLAIN users of this side, each {@code "user=password"}: see {@link ClusterBuilder#saslPlain}.
     *
     * @return the users; default none (no SASL/PLAIN)
     */
    String[] saslPlain() default {};

    /**
     * SASL/SCRAM users of this side, each {@code "user=password"}: see {@link ClusterBuilder#saslScram}.
     *
     * @return the users; default none (no SASL/SCRAM)
     */
    String[] saslScram() default {};

    /**
     * Whether this side's listener uses TLS (mutual TLS without SASL users): see {@link ClusterBuilder#ssl}.
     *
     * @return true for TLS; default false
     */
    boolean ssl() default false;

    /**
     * A broker image for this side: when given, this side is a {@link ContainerKafkaCluster} of that image
     * (and the test is skipped without a Docker engine), whatever kind the build configures; e.g.
     * {@code "apache/kafka:3.9.1"} for a test of a migration from Kafka 3.
     *
     * @return the image, or empty for the configured kind and image; default empty
     */
    String image() default "";
}
