package io.kmirror.it;

import static io.kmirror.it.MirrorTesting.assertCaughtUp;
import static io.kmirror.it.MirrorTesting.await;
import static io.kmirror.it.MirrorTesting.awaitRunning;
import static io.kmirror.it.MirrorTesting.byPartition;
import static io.kmirror.it.MirrorTesting.mirror;
import static io.kmirror.it.MirrorTesting.valuesByKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.Mirror;
import io.kmirror.MirrorConfigException;
import io.kmirror.MirrorListener;
import io.kmirror.MirrorMetrics;
import io.kmirror.MirrorState;
import io.kmirror.TopicFilter;
import io.kmirror.TopicNaming;
import io.kmirror.testkit.Destination;
import io.kmirror.testkit.EmbeddedKafkaCluster;
import io.kmirror.testkit.KafkaClustersExtension;
import io.kmirror.testkit.Source;
import io.kmirror.testkit.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What a user does first: mirror a topic, filter topics, watch the lifecycle. Real brokers, one pair per class. */
@ExtendWith(KafkaClustersExtension.class)
class MirrorWalkthroughIT {

    private final EmbeddedKafkaCluster source;
    private final EmbeddedKafkaCluster destination;

    MirrorWalkthroughIT(@Source EmbeddedKafkaCluster source, @Destination EmbeddedKafkaCluster destination) {
        this.source = source;
        this.destination = destination;
    }

    @Test
    void mirrorsEveryRecordToTheSamePartition_withBytesHeadersAndTimestampsIntact() throws Exception {
        String topic = Topics.unique("testtopic");
        source.createTopic(topic, 8);
        source.produceKeyed(topic, 100_000, 10_000, 42);

        try (Mirror mirror = mirror(source, destination, TopicFilter.include(topic), Topics.unique("group"))
                .streams(4).build()) {
            mirror.start();
            assertCaughtUp(mirror);
            MirrorMetrics metrics = mirror.metrics();
            assertThat(metrics.recordsMirrored()).isEqualTo(100_000);
            assertThat(metrics.bytesMirrored()).isGreaterThan(100_000L * 100);
        }

        assertThat(destination.partitionCount(topic)).isEqualTo(8);
        Map<Integer, List<MirrorTesting.View>> expected = byPartition(source.readAll(topic));
        Map<Integer, List<MirrorTesting.View>> actual = byPartition(destination.readAll(topic));
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        for (int partition : expected.keySet()) {
            assertThat(actual.get(partition)).as("partition %d, in offset order", partition)
                    .containsExactlyElementsOf(expected.get(partition));
        }
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
            assertCaughtUp(mirror);
        }

        assertThat(destination.partitionCount(topic)).isEqualTo(3);
        List<ConsumerRecord<byte[], byte[]>> mirrored = destination.readAll(topic);
        assertThat(mirrored).hasSize(20_000);
        Map<String, List<String>> expected = valuesByKey(source.readAll(topic));
        Map<String, List<String>> actual = valuesByKey(mirrored);
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        expected.forEach((key, values) -> assertThat(actual.get(key)).as("values of %s in order", key)
                .containsExactlyElementsOf(values));
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
            assertCaughtUp(mirror);
            assertThat(mirror.metrics().recordsMirrored()).as("only the two orders topics' records").isEqualTo(200);
            assertThat(mirror.metrics().committedOffsets().keySet()).extracting(tp -> tp.topic())
                    .containsOnly(orders, ordersEu);
        }

        Set<String> mirrored = destination.topics();
        assertThat(mirrored).contains(orders, ordersEu).doesNotContain(payments);
        assertThat(destination.readAll(orders)).hasSize(100);
        assertThat(destination.readAll(ordersEu)).hasSize(100);
    }

    @Test
    void running_meansRecordsProducedFromNowOnAreMirrored_andNewTopicsArePickedUp() throws Exception {
        String prefix = Topics.unique("live");
        String first = prefix + "-a";
        source.createTopic(first, 4);
        List<String> events = new CopyOnWriteArrayList<>();
        MirrorListener listener = new MirrorListener() {
            @Override
            public void onStateChange(MirrorState from, MirrorState to) {
                events.add(from + "->" + to);
            }

            @Override
            public void onDestinationTopicCreated(String topic, int partitions) {
                events.add("created " + topic + "/" + partitions);
            }
        };

        try (Mirror mirror = mirror(source, destination, TopicFilter.include(prefix + "-.*"), Topics.unique("group"))
                .streams(2).listener(listener).topicNaming(TopicNaming.prefix("eu.")).build()) {
            mirror.start();
            awaitRunning(mirror);
            source.produceKeyed(first, 500, 50, 3);

            String second = prefix + "-b";
            source.createTopic(second, 2);
            source.produceKeyed(second, 300, 50, 4);
            await("destination topic eu." + second, () -> destination.topics().contains("eu." + second));
            assertCaughtUp(mirror);

            assertThat(destination.readAll("eu." + first)).hasSize(500);
            assertThat(destination.readAll("eu." + second)).hasSize(300);
            assertThat(destination.partitionCount("eu." + second)).isEqualTo(2);
            assertThat(mirror.metrics().totalLag()).isZero();
        }
        assertThat(events).containsSubsequence("CREATED->STARTING", "STARTING->RUNNING", "RUNNING->STOPPING",
                "STOPPING->STOPPED");
        assertThat(events).contains("created eu." + first + "/4", "created eu." + prefix + "-b/2");
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
            awaitRunning(first);
            awaitRunning(second);
            source.produceKeyed(topic, 10_000, 1_000, 5);
            assertCaughtUp(first);
            await("both mirrors own partitions", () -> !first.metrics().committedOffsets().isEmpty()
                    && !second.metrics().committedOffsets().isEmpty());
            long total = first.metrics().recordsMirrored() + second.metrics().recordsMirrored();
            assertThat(first.metrics().recordsMirrored()).as("first mirrored a share").isPositive();
            assertThat(second.metrics().recordsMirrored()).as("second mirrored a share").isPositive();
            assertThat(total).isGreaterThanOrEqualTo(10_000);
        }
        assertThat(MirrorTesting.seqCounts(destination.readAll(topic))).hasSize(10_000);
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
                List<ProducerRecord<byte[], byte[]>> batch = new java.util.ArrayList<>();
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
        awaitRunning(first);
        traffic.start();
        await("a quarter of the traffic mirrored", () -> first.metrics().recordsMirrored() >= chunks * chunkSize / 4);
        assertThat(first.close(Duration.ofSeconds(30))).isTrue();
        assertThat(first.state()).isEqualTo(MirrorState.STOPPED);
        long byFirst = first.metrics().recordsMirrored();

        try (Mirror second = mirror(source, destination, TopicFilter.include(topic), group).streams(2).build()) {
            second.start();
            traffic.join(60_000);
            assertThat(traffic.isAlive()).isFalse();
            assertCaughtUp(second);
        }

        Map<String, Integer> counts = MirrorTesting.seqCounts(destination.readAll(topic));
        List<Integer> missing = java.util.stream.IntStream.range(0, chunks * chunkSize)
                .filter(seq -> !counts.containsKey(Integer.toString(seq))).boxed().toList();
        List<String> duplicated = counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        assertThat(byFirst).as("the first mirror was closed mid-traffic").isLessThan(chunks * chunkSize);
        assertThat(missing).as("records lost").isEmpty();
        assertThat(duplicated).as("records mirrored twice after a clean close").isEmpty();
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
        await("mirror FAILED", () -> mirror.state() == MirrorState.FAILED);
        assertThat(mirror.failure()).get().isInstanceOf(MirrorConfigException.class)
                .extracting(Throwable::getMessage).asString()
                .contains("same cluster (cluster id " + source.clusterId() + ")").contains("endless loop");
        assertThat(mirror.close(Duration.ofSeconds(5))).isTrue();
    }
}
