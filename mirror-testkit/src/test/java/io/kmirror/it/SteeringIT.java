package io.kmirror.it;

import static io.kmirror.it.MirrorTesting.WAIT;
import static io.kmirror.it.MirrorTesting.await;
import static io.kmirror.it.MirrorTesting.awaitRunning;
import static io.kmirror.it.MirrorTesting.bytes;
import static io.kmirror.it.MirrorTesting.mirror;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.DeliveryGuarantee;
import io.kmirror.Mirror;
import io.kmirror.PartitionHealth;
import io.kmirror.StartPosition;
import io.kmirror.TopicFilter;
import io.kmirror.testkit.Destination;
import io.kmirror.testkit.MirrorAssertions;
import io.kmirror.testkit.MirrorClusters;
import io.kmirror.testkit.Source;
import io.kmirror.testkit.TestKafkaCluster;
import io.kmirror.testkit.Topics;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running mirror steered by its host without a restart: topics added and dropped, topics paused and
 * resumed, a throttle, and where a new mirror starts.
 */
@MirrorClusters
class SteeringIT {

    private static final Logger log = LoggerFactory.getLogger(SteeringIT.class);
    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    private final TestKafkaCluster source;
    private final TestKafkaCluster destination;

    SteeringIT(@Source TestKafkaCluster source, @Destination TestKafkaCluster destination) {
        this.source = source;
        this.destination = destination;
    }

    @Test
    void updateTopics_mirrorsANewTopicAtOnce_andReleasesOneThatStopsMatchingWithItsOffsetsCommitted() throws Exception {
        String kept = Topics.unique("kept");
        String added = Topics.unique("added");
        String group = Topics.unique("group");
        source.createTopic(kept, 2);
        source.createTopic(added, 2);
        source.produceKeyed(kept, 100, 10, 1);
        source.produceKeyed(added, 100, 10, 2);
        // a refresh interval of an hour: only updateTopics can make the mirror look at the source again
        try (Mirror mirror = mirror(source, destination, TopicFilter.include(kept), group)
                .topicRefreshInterval(Duration.ofHours(1)).build()) {
            mirror.start();
            MirrorAssertions.assertThat(mirror).hasCaughtUp(WAIT);
            assertThat(destination.topics()).doesNotContain(added);

            long asked = System.nanoTime();
            mirror.updateTopics(TopicFilter.include(kept + "|" + added));
            MirrorAssertions.assertThat(destination.topic(added)).eventually(WAIT).watching(mirror).hasRecordCount(100);
            log.info("A topic added with updateTopics was mirrored {} ms after the call",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - asked));

            mirror.updateTopics(TopicFilter.include(kept));
            await("the mirror to release " + added, () -> mirror.health().keySet().stream().noneMatch(tp -> tp.topic().equals(added)));
            assertThat(offsetsOf(source.committedOffsets(group), added)).as("the released topic's offsets, committed")
                    .isEqualTo(source.endOffsets(added));

            source.produceKeyed(added, 50, 10, 3);
            source.produceKeyed(kept, 50, 10, 4);
            MirrorAssertions.assertThat(destination.topic(kept)).eventually(WAIT).containsExactlyRecordsOf(source.topic(kept));
            assertThat(destination.readAll(added)).as("a topic that no longer matches is not mirrored").hasSize(100);

            mirror.updateTopics(TopicFilter.include(kept + "|" + added));
            MirrorAssertions.assertThat(mirror).hasCaughtUp(WAIT);
            MirrorAssertions.assertThat(destination.topic(added)).as("resumed from its committed offsets: nothing twice")
                    .containsExactlyRecordsOf(source.topic(added));
        }
    }

    @ParameterizedTest
    @EnumSource(DeliveryGuarantee.class)
    void aPausedTopicReceivesNothingWhileOthersFlow_andResumesWithNothingLost(DeliveryGuarantee guarantee) throws Exception {
        String paused = Topics.unique("paused");
        String flowing = Topics.unique("flowing");
        String group = Topics.unique("group");
        source.createTopic(paused, 2);
        source.createTopic(flowing, 2);
        source.produceKeyed(paused, 200, 20, 1);
        source.produceKeyed(flowing, 200, 20, 2);
        try (Mirror mirror = mirror(source, destination, TopicFilter.include(paused + "|" + flowing), group)
                .guarantee(guarantee).build()) {
            mirror.start();
            MirrorAssertions.assertThat(mirror).hasCaughtUp(WAIT);

            mirror.pause(paused);
            Map<TopicPartition, Long> endsAtPause = source.endOffsets(paused);
            List<TopicPartition> pausedPartitions = List.of(new TopicPartition(paused, 0), new TopicPartition(paused, 1));
            await("the paused topic's partitions to show PAUSED", () -> pausedPartitions.stream().allMatch(
                    tp -> mirror.health().get(tp) != null && mirror.health().get(tp).state() == PartitionHealth.State.PAUSED));
            assertThat(mirror.health().get(pausedPartitions.get(0)).cause()).hasMessageContaining("source topic " + paused + " is paused");
            assertThat(mirror.health().get(new TopicPartition(flowing, 0)).state()).isEqualTo(PartitionHealth.State.OK);
            assertThat(mirror.pausedTopics()).containsExactly(paused);
            ObjectName bean = new ObjectName("kmirror:type=mirror-metrics,group=" + group);
            assertThat(attribute(bean, "paused-topics")).isEqualTo(1.0);
            assertThat(attribute(bean, "unhealthy-partitions")).isEqualTo(2.0);

            source.produceKeyed(paused, 300, 20, 3);
            source.produceKeyed(flowing, 300, 20, 4);
            MirrorAssertions.assertThat(destination.topic(flowing)).eventually(WAIT).watching(mirror)
                    .containsExactlyRecordsOf(source.topic(flowing));
            assertThat(destination.readAll(paused)).as("nothing of the paused topic while the other one flowed").hasSize(200);
            assertThat(offsetsOf(mirror.metrics().committedOffsets(), paused)).as("its offsets, committed where it paused")
                    .isEqualTo(endsAtPause);

            mirror.resume(paused);
            MirrorAssertions.assertThat(mirror).hasCaughtUp(WAIT);
            MirrorAssertions.assertThat(destination.topic(paused)).containsExactlyRecordsOf(source.topic(paused));
            await("the resumed partitions to be OK again", () -> pausedPartitions.stream().allMatch(
                    tp -> mirror.health().get(tp).state() == PartitionHealth.State.OK));
            assertThat(attribute(bean, "paused-topics")).isZero();
        }
    }

    @Test
    void aMirrorStartedWithATopicPaused_copiesNothingOfItUntilResumed() throws Exception {
        String topic = Topics.unique("born-paused");
        String other = Topics.unique("other");
        String group = Topics.unique("group");
        source.createTopic(topic, 3);
        source.createTopic(other, 1);
        source.produceKeyed(topic, 300, 30, 1);
        source.produceKeyed(other, 100, 10, 2);
        try (Mirror mirror = mirror(source, destination, TopicFilter.include(topic + "|" + other), group).build()) {
            mirror.pause(topic);
            mirror.start();
            MirrorAssertions.assertThat(destination.topic(other)).eventually(WAIT).watching(mirror)
                    .containsExactlyRecordsOf(source.topic(other));
            assertThat(destination.readAll(topic)).isEmpty();
            Map<TopicPartition, Long> ends = source.endOffsets(topic);
            try (CapturedLogs logs = CapturedLogs.capture()) {
                assertThat(mirror.awaitCaughtUp(Duration.ofSeconds(1))).as("caught up, with a topic paused since the start").isFalse();
                // a wait that gives up says what it waited for, as the group's offsets on the cluster show it
                assertThat(logs.lines()).as("the log of the wait that gave up").anyMatch(line -> line.startsWith(
                        "INFO io.kmirror.internal.CatchUpWaiter - Group " + group + ": not caught up after ")
                        && line.contains(", giving up: ") && line.contains(" partitions not committed to their end: ")
                        && ends.entrySet().stream().allMatch(end -> line.contains(end.getKey() + " at 0 of " + end.getValue())));
            }
            mirror.resume(topic);
            MirrorAssertions.assertThat(mirror).hasCaughtUp(WAIT);
            MirrorAssertions.assertThat(destination.topic(topic)).containsExactlyRecordsOf(source.topic(topic));
        }
    }

    /**
     * The throttle over {@code kmirror.throttle.seconds} (30 by default) of a backlog: 1 MB/s within 10%, and
     * not one rebalance (pausing keeps the streams in the group).
     */
    @Test
    void aThrottleOfOneMegabytePerSecond_holdsWithinTenPercent_andTheGroupStaysStable() throws Exception {
        long seconds = Long.getLong("kmirror.throttle.seconds", 30);
        long budget = 1_000_000;
        String topic = Topics.unique("throttled");
        String group = Topics.unique("group");
        source.createTopic(topic, 4);
        int records = (int) (budget * (seconds + 10) / 1_000); // more than the window can drain
        byte[] value = new byte[990];
        for (int from = 0; from < records; from += 5_000) {
            List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>();
            for (int i = from; i < Math.min(records, from + 5_000); i++) {
                batch.add(new ProducerRecord<>(topic, bytes(String.format("key-%05d", i)), value));
            }
            source.produce(topic, batch);
        }
        try (Mirror mirror = mirror(source, destination, TopicFilter.include(topic), group).streams(2)
                .maxBytesPerSecond(budget).build()) {
            mirror.start();
            awaitRunning(mirror);
            ObjectName bean = new ObjectName("kmirror:type=mirror-metrics,group=" + group);
            await("records flowing", () -> mirror.metrics().recordsMirrored() > 0);
            double rebalancesBefore = attribute(bean, "rebalances-total");
            long bytesBefore = mirror.metrics().bytesMirrored();
            long started = System.nanoTime();
            long deadline = started + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) { // the window measured, not a wait for a condition
                Thread.sleep(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            long bytes = mirror.metrics().bytesMirrored() - bytesBefore;
            double rate = bytes / ((System.nanoTime() - started) / 1e9);
            log.info("Throttled to {} bytes/s, the mirror copied {} bytes/s over {} s", budget, Math.round(rate), seconds);
            assertThat(rate).as("bytes per second over %d s", seconds).isBetween(0.9 * budget, 1.1 * budget);
            assertThat(attribute(bean, "rebalances-total")).as("rebalances while throttled").isEqualTo(rebalancesBefore);
            assertThat(attribute(bean, "max-bytes-per-second")).isEqualTo((double) budget);

            mirror.maxBytesPerSecond(0);
            MirrorAssertions.assertThat(mirror).hasCaughtUp(WAIT);
            MirrorAssertions.assertThat(destination.topic(topic)).containsExactlyRecordsOf(source.topic(topic));
        }
    }

    @ParameterizedTest
    @EnumSource(DeliveryGuarantee.class)
    void startFromLatest_mirrorsNothingFromBeforeRunning_andEverythingAfter_andAGroupWithOffsetsResumesFromThem(
            DeliveryGuarantee guarantee) throws Exception {
        String topic = Topics.unique("latest");
        String group = Topics.unique("group");
        source.createTopic(topic, 3);
        source.produceKeyed(topic, 150, 15, 1);
        try (Mirror mirror = mirror(source, destination, TopicFilter.include(topic), group).guarantee(guarantee)
                .startFrom(StartPosition.latest()).build()) {
            mirror.start();
            awaitRunning(mirror);
            source.produce(topic, numbered(topic, 0, 60));
            MirrorAssertions.assertThat(mirror).hasCaughtUp(WAIT);
        }
        source.produce(topic, numbered(topic, 60, 40)); // while no mirror runs: the group's offsets hold the place
        try (Mirror again = mirror(source, destination, TopicFilter.include(topic), group).guarantee(guarantee)
                .startFrom(StartPosition.latest()).build()) {
            again.start();
            MirrorAssertions.assertThat(again).hasCaughtUp(WAIT);
        }
        assertThat(values(destination.readAll(topic))).as("exactly the records written once the mirror ran")
                .containsExactlyInAnyOrderElementsOf(numberedValues(0, 100));
    }

    @Test
    void startFromATimestamp_startsEachPartitionAtItsFirstRecordAtOrAfterIt() throws Exception {
        String topic = Topics.unique("timestamp");
        String group = Topics.unique("group");
        source.createTopic(topic, 2);
        Instant base = Instant.now().minus(Duration.ofHours(1));
        Instant start = base.plusSeconds(50);
        List<ProducerRecord<byte[], byte[]>> old = new ArrayList<>();
        for (int i = 0; i < 100; i++) { // partition 0: one record a second, half of them before the start
            old.add(new ProducerRecord<>(topic, 0, base.plusSeconds(i).toEpochMilli(), bytes("k" + i), bytes("p0-" + i)));
        }
        for (int i = 0; i < 10; i++) { // partition 1: all before the start
            old.add(new ProducerRecord<>(topic, 1, base.plusSeconds(i).toEpochMilli(), bytes("k" + i), bytes("p1-" + i)));
        }
        source.produce(topic, old);
        try (Mirror mirror = mirror(source, destination, TopicFilter.include(topic), group)
                .startFrom(StartPosition.timestamp(start)).build()) {
            mirror.start();
            awaitRunning(mirror);
            source.produce(topic, List.of(new ProducerRecord<>(topic, 1, bytes("k-new"), bytes("p1-new"))));
            MirrorAssertions.assertThat(mirror).hasCaughtUp(WAIT);
        }
        Map<Integer, List<String>> byPartition = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : destination.readAll(topic)) {
            byPartition.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(new String(r.value(), StandardCharsets.UTF_8));
        }
        List<String> expected0 = new ArrayList<>();
        for (int i = 50; i < 100; i++) {
            expected0.add("p0-" + i);
        }
        assertThat(byPartition.get(0)).as("partition 0 from the record at the start time on").isEqualTo(expected0);
        assertThat(byPartition.get(1)).as("partition 1 from its end: none of its records is that recent")
                .containsExactly("p1-new");
    }

    private static List<ProducerRecord<byte[], byte[]>> numbered(String topic, int from, int count) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            records.add(new ProducerRecord<>(topic, bytes("key-" + (i % 7)), bytes("after-" + i)));
        }
        return records;
    }

    private static List<String> numberedValues(int from, int count) {
        List<String> values = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            values.add("after-" + i);
        }
        return values;
    }

    private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    private static Map<TopicPartition, Long> offsetsOf(Map<TopicPartition, Long> offsets, String topic) {
        Map<TopicPartition, Long> of = new TreeMap<>(java.util.Comparator.comparingInt(TopicPartition::partition));
        offsets.forEach((tp, offset) -> {
            if (tp.topic().equals(topic)) {
                of.put(tp, offset);
            }
        });
        return of;
    }

    private static double attribute(ObjectName name, String attribute) {
        try {
            return ((Number) JMX.getAttribute(name, attribute)).doubleValue();
        } catch (JMException e) {
            throw new AssertionError("cannot read " + attribute + " of " + name + ": " + e, e);
        }
    }
}
