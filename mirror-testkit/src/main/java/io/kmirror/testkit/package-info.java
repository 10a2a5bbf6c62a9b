/**
 * What a test of a kmirror setup needs: Kafka clusters running inside the test's JVM
 * ({@link io.kmirror.testkit.EmbeddedKafkaCluster}), a JUnit 5 extension that gives a test class a
 * source and a destination cluster ({@link io.kmirror.testkit.KafkaClustersExtension} with
 * {@link io.kmirror.testkit.Source} and {@link io.kmirror.testkit.Destination}), and unique topic
 * names ({@link io.kmirror.testkit.Topics}).
 *
 * <p>The kit sets nothing JVM-wide: no system properties, no shutdown hooks, no static configuration.
 * Whoever starts a cluster closes it; the extension closes its clusters after the test class.
 * (Kafka's broker code itself registers one JVM shutdown hook for its metrics reporter, outside the
 * kit's control.)
 *
 * <p>Logging goes through slf4j; the brokers log through it too. The kit brings no slf4j binding:
 * a test project adds its own (e.g. {@code log4j-slf4j2-impl} with a {@code log4j2-test.xml}).
 */
package io.kmirror.testkit;
