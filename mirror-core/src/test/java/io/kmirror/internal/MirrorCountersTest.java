package io.kmirror.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.internal.metrics.MirrorSensors;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
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

        List<Runnable> registrations = new ArrayList<>();
        counters.sensors().registerPartitionsOn(registrations::add); // run below, as the mirror's health thread would
        counters.assigned(List.of(TP));
        counters.acknowledged(TP, ack(10, 20, System.currentTimeMillis()));
        assertThat(JMX.isRegistered(partitionBean)).as("not registered yet").isFalse();
        registrations.forEach(Runnable::run);
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
            assertThat(JMX.getMBeanInfo(new ObjectName("kmirror:type=mirror-partition-metrics,group=counters-info,topic=orders,partition=3"))
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
        List<Runnable> registrations = new ArrayList<>();
        counters.sensors().registerPartitionsOn(registrations::add);
        try {
            counters.assigned(List.of(TP));
            counters.removed(List.of(TP));
            registrations.forEach(Runnable::run);

            assertThat(JMX.isRegistered(new ObjectName("kmirror:type=mirror-partition-metrics,group=counters-gone,topic=orders,partition=3")))
                    .isFalse();
        } finally {
            counters.sensors().close();
        }
    }

    private static RecordMetadata ack(int keySize, int valueSize, long timestamp) {
        return new RecordMetadata(new TopicPartition("orders", 3), 0, 0, timestamp, keySize, valueSize);
    }
}
