/**
 * What a test of a kmirror setup needs, in a host application's test suite or in kmirror's own.
 *
 * <ul>
 *   <li>Clusters: {@link io.kmirror.testkit.TestKafkaCluster}, implemented by
 *       {@link io.kmirror.testkit.EmbeddedKafkaCluster} (in this JVM, the default, no Docker) and
 *       {@link io.kmirror.testkit.ContainerKafkaCluster} (a broker image in Docker);
 *       {@link io.kmirror.testkit.TestKafkaClusters} starts the kind that {@code kmirror.testkit} /
 *       {@code KMIRROR_TESTKIT} names. Data helpers on every cluster: topics writable at once,
 *       reproducible keyed records ({@link io.kmirror.testkit.TestRecords}), transactions committed
 *       and aborted, everything read {@code read_committed} or {@code read_uncommitted}. Embedded
 *       clusters can be secured (SASL/PLAIN, SASL/SCRAM, TLS, mutual TLS) with ACLs enforced: each
 *       user's complete client settings, ACL grants that wait until the brokers apply them.</li>
 *   <li>A JUnit 5 extension: {@link io.kmirror.testkit.MirrorClusters} injects a
 *       {@link io.kmirror.testkit.Source} and a {@link io.kmirror.testkit.Destination} cluster, per
 *       class or per method, fails tests that leak a mirror or a thread's uncaught exception, and adds
 *       a {@link io.kmirror.testkit.MirrorEventLog}'s events to a failed test.</li>
 *   <li>AssertJ assertions: {@link io.kmirror.testkit.MirrorAssertions} (and
 *       {@link io.kmirror.testkit.SoftMirrorAssertions}) on clusters, topics and mirrors, with bounded
 *       retrying ({@code eventually}) and failure messages that name partitions and offsets.</li>
 *   <li>Unique topic names: {@link io.kmirror.testkit.Topics}.</li>
 * </ul>
 *
 * <p>The kit sets nothing JVM-wide that outlives a test: no system properties, no shutdown hooks, no
 * static configuration (the extension's uncaught-exception handler is installed for one test at a
 * time and then put back). Whoever starts a cluster closes it; the extension closes its clusters
 * after the test class or method. (Kafka's broker code itself registers one JVM shutdown hook for its
 * metrics reporter, outside the kit's control.)
 *
 * <p>Logging goes through slf4j; the brokers log through it too. The kit brings no slf4j binding:
 * a test project adds its own (e.g. {@code log4j-slf4j2-impl} with a {@code log4j2-test.xml}).
 * {@code io.kmirror.testkit.internal} is the kit's implementation, not API.
 */
package io.kmirror.testkit;
