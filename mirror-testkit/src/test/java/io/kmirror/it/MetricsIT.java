package io.kmirror.it;

import static io.kmirror.it.MirrorTesting.WAIT;
import static io.kmirror.it.MirrorTesting.await;
import static io.kmirror.it.MirrorTesting.awaitRunning;
import static io.kmirror.it.MirrorTesting.bytes;
import static io.kmirror.it.MirrorTesting.mirror;
import static io.kmirror.testkit.MirrorAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmirror.Mirror;
import io.kmirror.MirrorMetrics;
import io.kmirror.RecordTransformer;
import io.kmirror.TopicFilter;
import io.kmirror.TopicNaming;
import io.kmirror.testkit.Destination;
import io.kmirror.testkit.MirrorClusters;
import io.kmirror.testkit.Source;
import io.kmirror.testkit.TestKafkaCluster;
import io.kmirror.testkit.Topics;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * What an operator watches, read as a JMX console reads it: the platform MBean server, during runs
 * against real brokers. This module's test class path has no Micrometer (it is an optional dependency of
 * the core), so these tests also prove that a mirror runs and reports without it.
 */
@MirrorClusters
class MetricsIT {

    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();
    private static final long FIVE_SECONDS_MS = 5_000;

    private final TestKafkaCluster source;
    private final TestKafkaCluster destination;

    MetricsIT(@Source TestKafkaCluster source, @Destination TestKafkaCluster destination) {
        this.source = source;
        this.destination = destination;
    }

    @Test
    void mbeansCountWhatWasMirrored_onePerPartitionCaughtUpAtLagZero_andNoneIsLeftAfterClose() throws Exception {
        assertThatThrownBy(() -> Class.forName("io.micrometer.core.instrument.MeterRegistry"))
                .as("Micrometer must not be on this test's class path").isInstanceOf(ClassNotFoundException.class);
        String topic = Topics.unique("watched");
        String group = Topics.unique("group");
        source.createTopic(topic, 4);

        try (Mirror mirror = mirror(source, destination, TopicFilter.include(topic), group).streams(2).build()) {
            mirror.start();
            // both streams assigned: partition metrics count from a partition's assignment, and no rebalance moves them now
            awaitRunning(mirror);
            source.produceKeyed(topic, 2_000, 100, 11);
            assertThat(mirror).hasCaughtUp(WAIT).hasMirrored(2_000);
            ObjectName mirrorBean = new ObjectName("kmirror:type=mirror-metrics,group=" + group);
            assertThat(attribute(mirrorBean, "records-mirrored-total")).isEqualTo(2_000.0);
            assertThat(attribute(mirrorBean, "bytes-mirrored-total")).isEqualTo((double) mirror.metrics().bytesMirrored());
            assertThat(attribute(mirrorBean, "partitions")).isEqualTo(4.0);
            assertThat(attribute(mirrorBean, "topics")).isEqualTo(1.0);
            assertThat(attribute(mirrorBean, "failed")).isEqualTo(0.0);
            assertThat(attribute(mirrorBean, "replication-latency-p99")).as("measured, in ms").isNotNaN().isNotNegative();
            assertThat(attribute(mirrorBean, "rebalances-total")).isGreaterThanOrEqualTo(2.0);
            assertThat(attribute(mirrorBean, "commits-total")).as("caught up: the offsets were committed").isPositive();

            Set<ObjectName> partitionBeans = JMX.queryNames(new ObjectName("kmirror:type=mirror-partition-metrics,group=" + group + ",*"), null);
            assertThat(partitionBeans).extracting(name -> name.getKeyProperty("topic") + "-" + name.getKeyProperty("partition"))
                    .containsExactlyInAnyOrder(topic + "-0", topic + "-1", topic + "-2", topic + "-3");
            await("every partition's records-lag and time-lag-ms at 0", () -> partitionBeans.stream()
                    .allMatch(name -> attribute(name, "records-lag") == 0.0 && attribute(name, "time-lag-ms") == 0.0));
            assertThat(partitionBeans.stream().mapToDouble(name -> attribute(name, "records-mirrored-total")).sum())
                    .isEqualTo(2_000.0);
            assertThat(attribute(mirrorBean, "records-lag-max")).isEqualTo(0.0);
            assertThat(attribute(mirrorBean, "records-mirrored-rate")).as("records/s over the last minute").isPositive();
            assertThat(attribute(mirrorBean, "bytes-mirrored-rate")).isPositive();
        }

        assertThat(JMX.queryNames(new ObjectName("kmirror:group=" + group + ",*"), null)).as("MBeans left after close()").isEmpty();
    }

    @Test
    void recordsWrittenWhileTheMirrorWasStopped_showTheirAgeAsTimeLag_untilMirrored() throws Exception {
        String topic = Topics.unique("paused");
        String group = Topics.unique("group");
        TopicPartition partition = new TopicPartition(topic, 0);
        source.createTopic(topic, 1);
        source.produceKeyed(topic, 100, 10, 3);
        try (Mirror first = mirror(source, destination, TopicFilter.include(topic), group).build()) {
            first.start();
            assertThat(first).hasCaughtUp(WAIT);
        }
        // the producer wrote these while the mirror was stopped, 5 s before it starts again
        long writtenAt = System.currentTimeMillis() - FIVE_SECONDS_MS;
        List<ProducerRecord<byte[], byte[]>> backlog = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            backlog.add(new ProducerRecord<>(topic, null, writtenAt, bytes("key-" + i % 10), bytes("late-" + i)));
        }
        source.produce(topic, backlog);

        CountDownLatch observed = new CountDownLatch(1);
        RecordTransformer holdTheFirstRecord = record -> {
            awaitQuietly(observed); // keeps the restarted mirror behind until the test has looked
            return record;
        };
        try (Mirror second = mirror(source, destination, TopicFilter.include(topic), group).transformer(holdTheFirstRecord).build()) {
            second.start();
            try {
                ObjectName partitionBean = new ObjectName("kmirror:type=mirror-partition-metrics,group=" + group
                        + ",topic=" + topic + ",partition=0");
                await("the restarted mirror to read the backlog", () -> JMX.isRegistered(partitionBean)
                        && attribute(partitionBean, "time-lag-ms") > 0);
                assertThat(attribute(partitionBean, "time-lag-ms")).as("ms behind: the backlog's age")
                        .isGreaterThanOrEqualTo(FIVE_SECONDS_MS);
                assertThat(attribute(new ObjectName("kmirror:type=mirror-metrics,group=" + group), "time-lag-max-ms"))
                        .isGreaterThanOrEqualTo(FIVE_SECONDS_MS);
                assertThat(second.metrics().timeLag().get(partition)).isGreaterThanOrEqualTo(Duration.ofMillis(FIVE_SECONDS_MS));
            } finally {
                observed.countDown();
            }
            assertThat(second).hasCaughtUp(WAIT);
            await("time lag to fall to 0 once caught up", () -> second.metrics().maxTimeLag().isZero());
            MirrorMetrics caughtUp = second.metrics();
            assertThat(caughtUp.timeLag()).containsEntry(partition, Duration.ZERO);
            assertThat(caughtUp.replicationLatency().maxMs()).as("the backlog's records took at least their age")
                    .isGreaterThanOrEqualTo(FIVE_SECONDS_MS);
        }
        assertThat(destination).topic(topic).hasRecordCount(600);
    }

    @Test
    void twoMirrorsInOneJvm_eachReportUnderItsOwnGroup_andCloseOnlyTheirOwn() throws Exception {
        String topic = Topics.unique("twice");
        source.createTopic(topic, 2);
        source.produceKeyed(topic, 300, 10, 5);
        String groupA = Topics.unique("group-a");
        String groupB = Topics.unique("group-b");
        Mirror a = mirror(source, destination, TopicFilter.include(topic), groupA).build();
        try (Mirror b = mirror(source, destination, TopicFilter.include(topic), groupB)
                .topicNaming(TopicNaming.prefix("b.")).build()) {
            a.start();
            b.start();
            assertThat(a).hasCaughtUp(WAIT);
            assertThat(b).hasCaughtUp(WAIT);
            assertThat(attribute(new ObjectName("kmirror:type=mirror-metrics,group=" + groupA), "records-mirrored-total")).isEqualTo(300.0);
            assertThat(attribute(new ObjectName("kmirror:type=mirror-metrics,group=" + groupB), "records-mirrored-total")).isEqualTo(300.0);

            a.close();
            assertThat(beansOf(groupA)).isEmpty();
            assertThat(beansOf(groupB)).containsExactly("mirror-metrics", "mirror-partition-metrics", "mirror-partition-metrics");
        } finally {
            a.close();
        }
        assertThat(beansOf(groupB)).isEmpty();
    }

    /** The types of the kmirror MBeans tagged with {@code group}, sorted. */
    private static List<String> beansOf(String group) throws JMException {
        return JMX.queryNames(new ObjectName("kmirror:group=" + group + ",*"), null).stream()
                .map(name -> name.getKeyProperty("type")).sorted().toList();
    }

    private static double attribute(ObjectName name, String attribute) {
        try {
            return ((Number) JMX.getAttribute(name, attribute)).doubleValue();
        } catch (JMException e) {
            throw new AssertionError("cannot read " + attribute + " of " + name + ": " + e, e);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
