package io.kmirror.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.internal.metrics.MirrorSensors;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor.RecordingLevel;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class MirrorCountersTest {

    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();
    private static final TopicPartition TP = new TopicPartition("orders", 3);

    @Test
    void partitionMBeansComeAndGoWithTheirPartitions_andCloseUnregistersEverything() throws JMException {
        MirrorCounters counters = new MirrorCounters(new MirrorSensors("counters-test", RecordingLevel.DEBUG));
        counters.sensors().reportOverJmx();
        ObjectName partitionBean = new ObjectName("kmirror:type=mirror-partition-metrics,group=counters-test,topic=orders,partition=3");

        counters.assigned(List.of(TP));
        counters.acknowledged(TP, ack(10, 20, System.currentTimeMillis())); // maybe before its MBean is registered
        awaitRegistered(partitionBean, "records-lag", "time-lag-ms", "health", "records-mirrored-total",
                "replication-latency-avg", "replication-latency-max");
        assertThat(JMX.getAttribute(partitionBean, "records-mirrored-total")).as("counted from the assignment").isEqualTo(1.0);
        assertThat(JMX.getAttribute(counters.sensors().mirrorMBean(), "bytes-mirrored-total")).isEqualTo(30.0);

        counters.removed(List.of(TP));
        assertThat(JMX.isRegistered(partitionBean)).isFalse();
        counters.acknowledged(TP, ack(1, 1, 0)); // late acknowledgement of a partition that left: counted, not re-registered
        assertThat(JMX.isRegistered(partitionBean)).isFalse();
        assertThat(counters.snapshot().recordsMirrored()).isEqualTo(2);

        counters.sensors().close();
        assertThat(JMX.queryNames(new ObjectName("kmirror:group=counters-test,*"), null)).isEmpty();
    }

    @Test
    void timeLag_isTheAgeOfTheOldestRecordReadButNotAcknowledged_andZeroWhenCaughtUp() {
        MirrorCounters counters = new MirrorCounters();
        long tenSecondsAgo = System.currentTimeMillis() - 10_000;
        counters.assigned(List.of(TP));
        assertThat(counters.snapshot().timeLag()).containsEntry(TP, Duration.ZERO);

        counters.read(new ConsumerRecords<>(Map.of(TP, List.of(new ConsumerRecord<>(TP.topic(), TP.partition(), 0, tenSecondsAgo,
                TimestampType.CREATE_TIME, 0, 0, new byte[0], new byte[0], new RecordHeaders(), Optional.empty()))), Map.of()));
        assertThat(counters.snapshot().timeLag().get(TP)).isGreaterThanOrEqualTo(Duration.ofSeconds(10));

        counters.lag(TP, 5, OptionalLong.of(tenSecondsAgo + 9_000));
        assertThat(counters.snapshot().timeLag().get(TP)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(9));
        counters.lag(TP, 5, OptionalLong.empty());
        assertThat(counters.snapshot().timeLag().get(TP)).as("records wait unread: the last mark stays")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        counters.lag(TP, 0, OptionalLong.empty());
        assertThat(counters.snapshot().timeLag()).containsEntry(TP, Duration.ZERO);
        assertThat(counters.snapshot().lag()).containsEntry(TP, 0L);
    }

    @Test
    void recordingLevelInfo_leavesOutThePerRecordSensors_butKeepsTotalsAndLag() throws JMException {
        MirrorCounters counters = new MirrorCounters(new MirrorSensors("counters-info", RecordingLevel.INFO));
        counters.sensors().reportOverJmx();
        counters.assigned(List.of(TP));
        counters.acknowledged(TP, ack(1, 2, System.currentTimeMillis()));
        try {
            ObjectName mirrorBean = counters.sensors().mirrorMBean();
            assertThat(JMX.getAttribute(mirrorBean, "records-mirrored-total")).isEqualTo(1.0);
            assertThat(JMX.getMBeanInfo(mirrorBean).getAttributes()).extracting(a -> a.getName())
                    .contains("records-mirrored-rate", "bytes-mirrored-rate", "time-lag-max-ms")
                    .doesNotContain("replication-latency-avg", "replication-latency-p99");
            ObjectName partitionBean = new ObjectName("kmirror:type=mirror-partition-metrics,group=counters-info,topic=orders,partition=3");
            awaitRegistered(partitionBean, "records-lag", "time-lag-ms", "health");
            assertThat(JMX.getMBeanInfo(partitionBean)
                    .getAttributes()).extracting(a -> a.getName()).containsExactlyInAnyOrder("records-lag", "time-lag-ms", "health");
            assertThat(counters.snapshot().replicationLatency().p99Ms()).isNaN();
        } finally {
            counters.sensors().close();
        }
    }

    @Test
    void aPartitionThatLeftBeforeItsMetricsWereRegistered_neverGetsAnMBean() throws JMException {
        MirrorCounters counters = new MirrorCounters(new MirrorSensors("counters-gone", RecordingLevel.DEBUG));
        counters.sensors().reportOverJmx();
        try {
            TopicPartition other = new TopicPartition("orders", 4);
            counters.assigned(List.of(TP));
            counters.removed(List.of(TP));
            counters.assigned(List.of(other)); // registered after TP's turn on the metrics thread

            awaitRegistered(new ObjectName("kmirror:type=mirror-partition-metrics,group=counters-gone,topic=orders,partition=4"),
                    "records-lag");
            assertThat(JMX.isRegistered(new ObjectName("kmirror:type=mirror-partition-metrics,group=counters-gone,topic=orders,partition=3")))
                    .isFalse();
        } finally {
            counters.sensors().close();
        }
    }

    /** Partition metrics are registered on the mirror's metrics thread, one after another: waits for {@code attributes}, at most 10 s. */
    private static void awaitRegistered(ObjectName bean, String... attributes) throws JMException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!hasAttributes(bean, attributes) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(hasAttributes(bean, attributes)).as(bean + " registered with " + List.of(attributes)).isTrue();
    }

    private static boolean hasAttributes(ObjectName bean, String... attributes) throws JMException {
        try {
            return List.of(JMX.getMBeanInfo(bean).getAttributes()).stream().map(a -> a.getName()).toList()
                    .containsAll(List.of(attributes));
        } catch (javax.management.InstanceNotFoundException e) {
            return false;
        }
    }

    private static RecordMetadata ack(int keySize, int valueSize, long timestamp) {
        return new RecordMetadata(new TopicPartition("orders", 3), 0, 0, timestamp, keySize, valueSize);
    }
}
