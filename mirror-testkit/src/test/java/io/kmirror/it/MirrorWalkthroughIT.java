package io.kmirror.it;

import static io.kmirror.it.MirrorTesting.WAIT;
import static io.kmirror.it.MirrorTesting.await;
import static io.kmirror.it.MirrorTesting.mirror;
import static io.kmirror.testkit.MirrorAssertions.assertThat;

import io.kmirror.Mirror;
import io.kmirror.MirrorConfigException;
import io.kmirror.TopicFilter;
import io.kmirror.TopicNaming;
import io.kmirror.testkit.Destination;
import io.kmirror.testkit.MirrorClusters;
import io.kmirror.testkit.MirrorEventLog;
import io.kmirror.testkit.Source;
import io.kmirror.testkit.TestKafkaCluster;
import io.kmirror.testkit.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** What a user does first: mirror a topic, filter topics, watch the lifecycle. Real brokers, one pair per class. */
@MirrorClusters
class MirrorWalkthroughIT {

    private final TestKafkaCluster source;
    private final TestKafkaCluster destination;

    MirrorWalkthroughIT(@Source TestKafkaCluster source, @Destination TestKafkaCluster destination) {
        this.source = source;
        this.destination = destination;
    }

    @Test
    void mirrorsEveryRecordToTheSamePartition_withBytesHeadersAndTimestampsIntact(MirrorEventLog events) throws Exception {
        String topic = Topics.unique("testtopic");
        source.createTopic(topic, 8);
        source.produceKeyed(topic, 100_000, 10_000, 42);

        try (Mirror mirror = mirror(source, destination, TopicFilter.include(topic), Topics.unique("group"))
                .streams(4).listener(events).build()) {
            mirror.start();
            assertThat(mirror).hasCaughtUp(WAIT).hasMirrored(100_000);
            assertThat(mirror.metrics().bytesMirrored()).isGreaterThan(100_000L * 100);
        }

        assertThat(destination).topic(topic).hasPartitionCount(8).containsExactlyRecordsOf(source.topic(topic));
    }

    @Test
    void destinationWithFewerPartitions_keepsEveryKeysOrder() throws Exception {
        String topic = Topics.unique("orders");
        source.createTopic(topic, 8);
        destination.createTopic(topic, 3);
        source.produceKeyed(topic, 20_000, 500, 7);

        try (Mirror mirror = mirror(source, destination, TopicFilter.include(topic), Topics.unique("group"))
                .streams(2).build()) {
            mirror.start();
            assertThat(mirror).hasCaughtUp(WAIT);
        }

        assertThat(destination).topic(topic).hasPartitionCount(3).hasRecordCount(20_000)
                .preservesKeyOrderOf(source.topic(topic));
    }

    @Test
    void include_mirrorsExactlyTheMatchingTopics_neverInternalOnes() throws Exception {
        String prefix = Topics.unique("f");
        String orders = prefix + "-orders";
        String ordersEu = prefix + "-orders-eu";
        String payments = prefix + "-payments";
        for (String topic : List.of(orders, ordersEu, payments)) {
            source.createTopic(topic, 2);
            source.produceKeyed(topic, 100, 10, 1);
        }

        try (Mirror mirror = mirror(source, destination, TopicFilter.include(prefix + "-orders.*|__consumer_offsets"),
                Topics.unique("group")).build()) {
            mirror.start();
            assertThat(mirror).hasCaughtUp(WAIT).as("only the two orders topics' records").hasMirrored(200);
            assertThat(mirror.metrics().committedOffsets().keySet()).extracting(tp -> tp.topic())
                    .containsOnly(orders, ordersEu);
        }

        assertThat(destination).hasTopic(orders).hasTopic(ordersEu).doesNotHaveTopic(payments);
        assertThat(destination).topic(orders).containsExactlyRecordsOf(source.topic(orders));
        assertThat(destination).topic(ordersEu).containsExactlyRecordsOf(source.topic(ordersEu));
    }

    @Test
    void running_meansRecordsProducedFromNowOnAreMirrored_andNewTopicsArePickedUp(MirrorEventLog events) throws Exception {
        String prefix = Topics.unique("live");
        String first = prefix + "-a";
        String second = prefix + "-b";
        source.createTopic(first, 4);

        try (Mirror mirror = mirror(source, destination, TopicFilter.include(prefix + "-.*"), Topics.unique("group"))
                .streams(2).listener(events).topicNaming(TopicNaming.prefix("eu.")).build()) {
            mirror.start();
            assertThat(mirror).eventually(WAIT).isRunning();
            source.produceKeyed(first, 500, 50, 3);

            source.createTopic(second, 2);
            source.produceKeyed(second, 300, 50, 4);
            assertThat(destination).eventually(WAIT).watching(mirror).hasTopic("eu." + second);
            assertThat(mirror).hasCaughtUp(WAIT).hasNoLag();

            assertThat(destination).topic("eu." + first).containsExactlyRecordsOf(source.topic(first));
            assertThat(destination).topic("eu." + second).hasPartitionCount(2).containsExactlyRecordsOf(source.topic(second));
        }
        assertThat(events.descriptions()).containsSubsequence("state CREATED -> STARTING", "state STARTING -> RUNNING",
                "state RUNNING -> STOPPING", "state STOPPING -> STOPPED");
        assertThat(events.descriptions()).contains("created destination topic eu." + first + " with 4 partitions",
                "created destination topic eu." + second + " with 2 partitions");
    }

    @Test
    void twoMirrorsInOneGroup_shareThePartitions_andTogetherMirrorEverything() throws Exception {
        String topic = Topics.unique("shared");
        source.createTopic(topic, 8);
        String group = Topics.unique("group");
        try (Mirror first = mirror(source, destination, TopicFilter.include(topic), group).build();
             Mirror second = mirror(source, destination, TopicFilter.include(topic), group).build()) {
            first.start();
            second.start();
            assertThat(first).eventually(WAIT).isRunning();
            assertThat(second).eventually(WAIT).isRunning();
            source.produceKeyed(topic, 10_000, 1_000, 5);
            assertThat(first).hasCaughtUp(WAIT);
            await("both mirrors own partitions", () -> !first.metrics().committedOffsets().isEmpty()
                    && !second.metrics().committedOffsets().isEmpty());
            assertThat(first).as("first mirrored a share").hasMirroredAtLeast(1);
            assertThat(second).as("second mirrored a share").hasMirroredAtLeast(1);
            assertThat(first.metrics().recordsMirrored() + second.metrics().recordsMirrored()).isGreaterThanOrEqualTo(10_000);
        }
        assertThat(destination).topic(topic).containsAllRecordsOf(source.topic(topic));
    }

    @Test
    void closeUnderSteadyTraffic_thenANewMirrorInTheSameGroup_losesNothingAndDuplicatesNothing() throws Exception {
        String topic = Topics.unique("traffic");
        String group = Topics.unique("group");
        source.createTopic(topic, 4);
        int chunks = 40;
        int chunkSize = 500;
        Thread traffic = new Thread(() -> {
            for (int chunk = 0; chunk < chunks; chunk++) {
                List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>();
                for (int i = 0; i < chunkSize; i++) {
                    int seq = chunk * chunkSize + i;
                    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, MirrorTesting.bytes("key-" + seq % 97),
                            MirrorTesting.bytes("value-" + seq));
                    record.headers().add("seq", MirrorTesting.bytes(Integer.toString(seq)));
                    batch.add(record);
                }
                source.produce(topic, batch);
            }
        }, "traffic");

        Mirror first = mirror(source, destination, TopicFilter.include(topic), group).streams(2).build();
        first.start();
        assertThat(first).eventually(WAIT).isRunning();
        traffic.start();
        assertThat(first).eventually(WAIT).hasMirroredAtLeast(chunks * chunkSize / 4);
        assertThat(first.close(Duration.ofSeconds(30))).isTrue();
        assertThat(first).isStopped();
        long byFirst = first.metrics().recordsMirrored();

        try (Mirror second = mirror(source, destination, TopicFilter.include(topic), group).streams(2).build()) {
            second.start();
            traffic.join(60_000);
            assertThat(traffic.isAlive()).isFalse();
            assertThat(second).hasCaughtUp(WAIT);
        }

        assertThat(byFirst).as("the first mirror was closed mid-traffic").isLessThan(chunks * chunkSize);
        assertThat(destination).topic(topic).as("after a clean close and a restart")
                .hasRecordCount(chunks * chunkSize)
                .hasNoDuplicates()
                .containsExactlyRecordsOf(source.topic(topic));
    }

    @Test
    void closeWhileTheFirstRecordsAreInFlight_commitsEveryRecordItMirrored() throws Exception {
        String topic = Topics.unique("close");
        source.createTopic(topic, 8);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            records.add(new ProducerRecord<>(topic, MirrorTesting.bytes("key-" + i % 101), new byte[1024]));
        }
        source.produce(topic, records);
        // Each round closes the mirror as soon as its first records are acknowledged, while its stream
        // is busy sending: the stop must still flush and commit, or a restart mirrors it all again.
        for (int round = 0; round < 5; round++) {
            String group = Topics.unique("group");
            Mirror mirror = mirror(source, destination, TopicFilter.include(topic), group)
                    .topicNaming(TopicNaming.prefix("round" + round + ".")).build();
            mirror.start();
            assertThat(mirror).eventually(WAIT).hasMirroredAtLeast(1);
            assertThat(mirror.close(Duration.ofSeconds(30))).isTrue();
            assertThat(mirror).isStopped();
            long committed = source.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                    .values().stream().mapToLong(OffsetAndMetadata::offset).sum();
            assertThat(committed).as("round %d: offsets committed at close, against records mirrored", round)
                    .isEqualTo(mirror.metrics().recordsMirrored());
        }
    }

    @Test
    void oneClusterUnderTwoNames_failsAtStartWithTheLoopError() {
        String topic = Topics.unique("loop");
        source.createTopic(topic, 1);
        String servers = source.bootstrapServers();
        String otherName = servers.contains("localhost")
                ? servers.replace("localhost", "127.0.0.1") : servers.replace("127.0.0.1", "localhost");
        assertThat(otherName).isNotEqualTo(servers);
        Map<String, Object> destinationConfig = new HashMap<>(source.clientConfig());
        destinationConfig.put("bootstrap.servers", otherName);
        Mirror mirror = Mirror.builder()
                .source(source.clientConfig())
                .destination(destinationConfig)
                .topics(TopicFilter.include(topic))
                .groupId(Topics.unique("group"))
                .build();
        mirror.start();
        assertThat(mirror).eventually(WAIT).hasFailed().isInstanceOf(MirrorConfigException.class)
                .hasMessageContaining("same cluster (cluster id " + source.clusterId() + ")")
                .hasMessageContaining("endless loop");
        assertThat(mirror.close(Duration.ofSeconds(5))).isTrue();
    }
}
