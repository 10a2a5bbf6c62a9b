package io.kmirror.it;

import static io.kmirror.it.MirrorTesting.WAIT;
import static io.kmirror.it.MirrorTesting.awaitRunning;
import static io.kmirror.it.MirrorTesting.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.DeliveryGuarantee;
import io.kmirror.Mirror;
import io.kmirror.MirrorBuilder;
import io.kmirror.Provenance;
import io.kmirror.TopicFilter;
import io.kmirror.testkit.Destination;
import io.kmirror.testkit.EmbeddedKafkaCluster;
import io.kmirror.testkit.MirrorAssertions;
import io.kmirror.testkit.MirrorClusters;
import io.kmirror.testkit.Source;
import io.kmirror.testkit.TestKafkaCluster;
import io.kmirror.testkit.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/**
 * Active-active on identical topic names: mirrors in both directions (and rings) with the builder's
 * defaults copy every record to every cluster once, never back, and keep the application's headers.
 */
@MirrorClusters
class ActiveActiveIT {

    private final TestKafkaCluster a;
    private final TestKafkaCluster b;

    ActiveActiveIT(@Source TestKafkaCluster a, @Destination TestKafkaCluster b) {
        this.a = a;
        this.b = b;
    }

    @Test
    void twoWayOnTheSameNames_exactlyOnce_everyRecordOnceOnBothSides_andNoPingPong() throws Exception {
        String topic = Topics.unique("orders");
        a.createTopic(topic, 4);
        b.createTopic(topic, 4);
        a.produce(topic, records(topic, "a", 0, 3_500));
        b.produce(topic, records(topic, "b", 0, 3_500));
        try (Mirror aToB = twoWay(a, b, topic).build(); Mirror bToA = twoWay(b, a, topic).build()) {
            aToB.start();
            bToA.start();
            awaitRunning(aToB);
            awaitRunning(bToA);
            a.produce(topic, records(topic, "a", 3_500, 7_000));
            b.produce(topic, records(topic, "b", 3_500, 7_000));
            MirrorAssertions.assertThat(aToB).hasCaughtUp(WAIT);
            MirrorAssertions.assertThat(bToA).hasCaughtUp(WAIT);
            assertEveryValueOnce(a, topic, 14_000);
            assertEveryValueOnce(b, topic, 14_000);

            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < until) { // the two mirrors keep running: nothing may come back
                assertThat(endOffsetsSum(a, topic) + endOffsetsSum(b, topic)).as("records on both clusters")
                        .isLessThanOrEqualTo(stableEnds(a, b, topic));
                Thread.sleep(1_000);
            }
            assertThat(aToB.metrics().recordsAlreadyAtDestination()).as("B's records A→B did not send back").isEqualTo(7_000);
            assertThat(bToA.metrics().recordsAlreadyAtDestination()).as("A's records B→A did not send back").isEqualTo(7_000);
        }
        assertEveryValueOnce(a, topic, 14_000);
        assertEveryValueOnce(b, topic, 14_000);
    }

    @Test
    void aRingOfThree_everyRecordReachesEveryClusterOnce() throws Exception {
        String topic = Topics.unique("ring");
        try (EmbeddedKafkaCluster c = EmbeddedKafkaCluster.builder().name("c").start()) {
            for (TestKafkaCluster cluster : List.of(a, b, c)) {
                cluster.createTopic(topic, 2);
            }
            a.produce(topic, records(topic, "a", 0, 1_000));
            b.produce(topic, records(topic, "b", 0, 1_000));
            c.produce(topic, records(topic, "c", 0, 1_000));
            try (Mirror ab = ring(a, b, topic).build(); Mirror bc = ring(b, c, topic).build(); Mirror ca = ring(c, a, topic).build()) {
                for (Mirror mirror : List.of(ab, bc, ca)) {
                    mirror.start();
                }
                MirrorAssertions.assertThat(b.topic(topic)).eventually(WAIT).hasRecordCount(3_000);
                MirrorAssertions.assertThat(c.topic(topic)).eventually(WAIT).hasRecordCount(3_000);
                MirrorAssertions.assertThat(a.topic(topic)).eventually(WAIT).hasRecordCount(3_000);
                for (Mirror mirror : List.of(ab, bc, ca)) {
                    MirrorAssertions.assertThat(mirror).hasCaughtUp(WAIT);
                }
            }
            for (TestKafkaCluster cluster : List.of(a, b, c)) {
                assertEveryValueOnce(cluster, topic, 3_000);
            }
        }
    }

    @Test
    void theApplicationsHeaders_areKeptUnchangedAndInOrder_andTheOriginIsTold() throws Exception {
        String topic = Topics.unique("headers");
        a.createTopic(topic, 1);
        b.createTopic(topic, 1);
        List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, bytes("k" + i), bytes("v" + i));
            record.headers().add("trace", bytes("t" + i)).add("tenant", bytes("x")).add("trace", bytes("again" + i));
            sent.add(record);
        }
        a.produce(topic, sent);
        try (Mirror aToB = twoWay(a, b, topic).build()) {
            aToB.start();
            MirrorAssertions.assertThat(aToB).hasCaughtUp(WAIT);
        }
        List<ConsumerRecord<byte[], byte[]>> copies = b.readAll(topic);
        assertThat(copies).hasSize(10);
        for (int i = 0; i < 10; i++) {
            ConsumerRecord<byte[], byte[]> copy = copies.get(i);
            assertThat(headerTexts(copy)).containsExactly("trace=t" + i, "tenant=x", "trace=again" + i,
                    Provenance.HEADER + "=" + a.clusterId() + "," + b.clusterId());
            assertThat(Provenance.origin(copy.headers())).contains(a.clusterId());
        }
        assertThat(Provenance.origin(a.readAll(topic).get(0).headers())).as("a local write").isEmpty();
    }

    private MirrorBuilder twoWay(TestKafkaCluster from, TestKafkaCluster to, String topic) {
        return Mirror.builder().source(from.clientConfig()).destination(to.clientConfig()).topics(TopicFilter.include(topic))
                .groupId(Topics.unique("group")).topicRefreshInterval(Duration.ofSeconds(1))
                .guarantee(DeliveryGuarantee.EXACTLY_ONCE);
    }

    private MirrorBuilder ring(TestKafkaCluster from, TestKafkaCluster to, String topic) {
        return Mirror.builder().source(from.clientConfig()).destination(to.clientConfig()).topics(TopicFilter.include(topic))
                .groupId(Topics.unique("group")).topicRefreshInterval(Duration.ofSeconds(1))
                .offsetCommitInterval(Duration.ofMillis(200));
    }

    private static List<ProducerRecord<byte[], byte[]>> records(String topic, String side, int from, int to) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = from; i < to; i++) {
            records.add(new ProducerRecord<>(topic, bytes("key-" + i % 100), bytes(side + "-" + i)));
        }
        return records;
    }

    private static void assertEveryValueOnce(TestKafkaCluster cluster, String topic, int expected) {
        Map<String, Integer> counts = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : cluster.readAll(topic)) {
            counts.merge(new String(record.value(), StandardCharsets.UTF_8), 1, Integer::sum);
        }
        assertThat(counts).as("distinct records on " + cluster.name()).hasSize(expected);
        assertThat(counts.values()).as("copies of each record on " + cluster.name()).containsOnly(1);
    }

    private long stableEnds;

    /** The end offsets' sum of both clusters once both mirrors caught up, read at the first call. */
    private long stableEnds(TestKafkaCluster one, TestKafkaCluster other, String topic) {
        if (stableEnds == 0) {
            stableEnds = endOffsetsSum(one, topic) + endOffsetsSum(other, topic);
        }
        return stableEnds;
    }

    private static long endOffsetsSum(TestKafkaCluster cluster, String topic) {
        return cluster.endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
    }

    private static List<String> headerTexts(ConsumerRecord<byte[], byte[]> record) {
        return StreamSupport.stream(record.headers().spliterator(), false)
                .map((Header h) -> h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8)).toList();
    }
}
