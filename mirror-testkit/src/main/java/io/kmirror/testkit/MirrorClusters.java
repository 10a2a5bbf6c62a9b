package io.kmirror.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class a running source and a destination cluster, each a {@link TestKafkaCluster} of
 * the {@linkplain TestKafkaClusters#configuredKind() configured kind} (embedded unless
 * {@code kmirror.testkit=container}), through {@link MirrorClustersExtension}:
 *
 * <pre>{@code
 * @MirrorClusters
 * class OrdersMirrorTest {
 *     @Test
 *     void mirrorsOrders(@Source TestKafkaCluster source, @Destination TestKafkaCluster destination) { ... }
 * }
 *
 * @MirrorClusters(brokers = 3, brokerConfig = "auto.create.topics.enable=false", perMethod = true)
 * class FailoverTest {
 *     @Source TestKafkaCluster source;             // fields work too
 *     @Destination TestKafkaCluster destination;
 * }
 *
 * @MirrorClusters(destination = @Cluster(brokerConfig = "create.topic.policy.class.name=com.example.Policy"))
 * class GuardedDestinationTest { ... }             // each side its own settings
 * }</pre>
 *
 * <p>The attributes of this annotation apply to both clusters; {@link #source()} and {@link #destination()}
 * add to them or replace them for one side ({@link Cluster}).
 *
 * <p>Put it on a top-level class; its {@code @Nested} classes share its clusters (the annotation on a
 * nested class is not read). See {@link MirrorClustersExtension} for what the extension checks after
 * each test.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(MirrorClustersExtension.class)
public @interface MirrorClusters {

    /**
     * The number of brokers of both clusters; more than one needs the embedded kind.
     *
     * @return at least 1; default 1
     */
    int brokers() default 1;

    /**
     * Broker settings of both clusters, each {@code "key=value"}, e.g.
     * {@code "auto.create.topics.enable=false"}.
     *
     * @return the settings; default none
     */
    String[] brokerConfig() default {};

    /**
     * Whether each test method gets clusters of its own, started before it and closed after it,
     * instead of two clusters shared by the whole class (the default: a start takes seconds).
     *
     * @return true for clusters per test method
     */
    boolean perMethod() default false;

    /**
     * The upper bound, in seconds, of every wait of the clusters' helpers.
     *
     * @return positive; default 60
     */
    int waitTimeoutSeconds() default 60;

    /**
     * The source cluster's own settings, over those above.
     *
     * @return the settings; default none
     */
    Cluster source() default @Cluster;

    /**
     * The destination cluster's own settings, over those above.
     *
     * @return the settings; default none
     */
    Cluster destination() default @Cluster;
}
