package io.kmirror.it;

import static io.kmirror.it.MirrorTesting.assertCaughtUp;
import static io.kmirror.it.MirrorTesting.await;
import static io.kmirror.it.MirrorTesting.awaitRunning;
import static io.kmirror.it.MirrorTesting.byPartition;
import static io.kmirror.it.MirrorTesting.bytes;
import static io.kmirror.it.MirrorTesting.mirror;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.Mirror;
import io.kmirror.MirrorState;
import io.kmirror.TopicErrorPolicy;
import io.kmirror.TopicFilter;
import io.kmirror.testkit.Destination;
import io.kmirror.testkit.EmbeddedKafkaCluster;
import io.kmirror.testkit.MirrorAssertions;
import io.kmirror.testkit.MirrorClusters;
import io.kmirror.testkit.TestKafkaCluster;
import io.kmirror.testkit.Source;
import io.kmirror.testkit.Topics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/** Destination topics follow their source: partition growth, configs, compaction, naming errors, refusals. */
@MirrorClusters
class TopicSyncIT {

    private final TestKafkaCluster source;
    private final TestKafkaCluster destination;

    TopicSyncIT(@Source TestKafkaCluster source, @Destination TestKafkaCluster destination) {
        this.source = source;
        this.destination = destination;
    }

    @Test
    void partitionsAddedAtTheSourceDuringTraffic_landInTheSamePartitionNumbers() throws Exception {
        String topic = Topics.unique("growing");
        source.createTopic(topic, 8);
        AtomicInteger partitions = new AtomicInteger(8);
        AtomicReference<Throwable> trafficFailure = new AtomicReference<>();
        Thread traffic = new Thread(() -> {
            try {
                for (int chunk = 0; chunk < 30; chunk++) {
                    List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>();
                    int count = partitions.get();
                    for (int i = 0; i < 200; i++) {
                        int seq = chunk * 200 + i;
                        batch.add(new ProducerRecord<>(topic, seq % count, bytes("key-" + seq % 50), bytes("value-" + seq)));
                    }
                    source.produce(topic, batch);
                }
            } catch (Throwable t) {
                trafficFailure.set(t);
            }
        }, "traffic");

        try (Mirror mirror = mirror(source, destination, TopicFilter.include(topic), Topics.unique("group")).streams(2).build()) {
            mirror.start();
            awaitRunning(mirror);
            traffic.start();
            await("some traffic mirrored", () -> mirror.metrics().recordsMirrored() >= 1_000);
            source.admin().createPartitions(Map.of(topic, NewPartitions.increaseTo(12))).all().get(30, TimeUnit.SECONDS);
            partitions.set(12);
            traffic.join(120_000);
            assertThat(trafficFailure.get()).isNull();
            assertCaughtUp(mirror);
        }

        assertThat(destination.partitionCount(topic)).isEqualTo(12);
        Map<Integer, List<MirrorTesting.View>> expected = byPartition(source.readAll(topic));
        Map<Integer, List<MirrorTesting.View>> actual = byPartition(destination.readAll(topic));
        assertThat(expected.keySet()).as("the traffic used the new partitions").contains(8, 9, 10, 11);
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        for (int partition : expected.keySet()) {
            assertThat(actual.get(partition)).as("partition %d, in offset order", partition)
                    .containsExactlyElementsOf(expected.get(partition));
        }
    }

    @Test
    void aNewTopicOfManyPartitions_isMirroredWhole_whileItsDestinationPartitionsGetTheirLeaders() throws Exception {
        newTopicOfManyPartitions(300, io.kmirror.DeliveryGuarantee.AT_LEAST_ONCE);
    }

    @Test
    void aNewTopicOfManyPartitions_isMirroredWhole_exactlyOnce() throws Exception {
        newTopicOfManyPartitions(40, io.kmirror.DeliveryGuarantee.EXACTLY_ONCE);
    }

    /**
     * The mirror creates the destination topic and starts at once; each source partition's records are held back
     * until its destination partition's leader answers. Every record arrives once, in its partition's order.
     */
    private void newTopicOfManyPartitions(int partitions, io.kmirror.DeliveryGuarantee guarantee) throws Exception {
        String topic = Topics.unique("wide");
        source.createTopic(topic, partitions);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < partitions * 20; i++) {
            records.add(new ProducerRecord<>(topic, i % partitions, bytes("key-" + i % 97), bytes("value-" + i)));
        }
        source.produce(topic, records);

        try (Mirror mirror = mirror(source, destination, TopicFilter.include(topic), Topics.unique("group")).streams(2)
                .guarantee(guarantee).build()) {
            mirror.start();
            assertCaughtUp(mirror);
        }

        assertThat(destination.partitionCount(topic)).isEqualTo(partitions);
        Map<Integer, List<MirrorTesting.View>> expected = byPartition(source.readAll(topic));
        Map<Integer, List<MirrorTesting.View>> actual = byPartition(destination.readAll(topic));
        assertThat(actual.keySet()).isEqualTo(expected.keySet()).hasSize(partitions);
        for (int partition : expected.keySet()) {
            assertThat(actual.get(partition)).as("partition %d, in offset order, each record once", partition)
                    .containsExactlyElementsOf(expected.get(partition));
        }
    }

    @Test
    void aTopicTheMirrorCreated_keepsFollowingItsSource_whenTheSourceGrewWhileTheMirrorWasStopped() throws Exception {
        String topic = Topics.unique("grewwhilestopped");
        String group = Topics.unique("group");
        source.createTopic(topic, 4);
        source.produceKeyed(topic, 400, 40, 11);
        try (Mirror mirror = mirror(source, destination, TopicFilter.include(topic), group).build()) {
            mirror.start();
            assertCaughtUp(mirror);
        }
        assertThat(destination.partitionCount(topic)).isEqualTo(4);

        source.admin().createPartitions(Map.of(topic, NewPartitions.increaseTo(6))).all().get(30, TimeUnit.SECONDS);
        source.awaitTopicWritable(topic, 6);
        List<ProducerRecord<byte[], byte[]>> more = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            more.add(new ProducerRecord<>(topic, i % 6, bytes("key-" + i % 60), bytes("late-" + i)));
        }
        source.produce(topic, more);
        try (Mirror mirror = mirror(source, destination, TopicFilter.include(topic), group).build()) {
            mirror.start();
            assertCaughtUp(mirror);
        }

        MirrorAssertions.assertThat(destination.topic(topic)).hasPartitionCount(6)
                .containsExactlyRecordsOf(source.topic(topic));
    }

    @Test
    void topicConfigs_areCopiedAtCreation_andFollowTheSource_exceptLocalOnes() throws Exception {
        String topic = Topics.unique("configured");
        source.createTopic(topic, 2, Map.of("cleanup.policy", "compact", "retention.ms", "123456789",
                "min.insync.replicas", "1", "max.message.bytes", "200000"));
        try (Mirror mirror = mirror(source, destination, TopicFilter.include(topic), Topics.unique("group")).build()) {
            mirror.start();
            awaitRunning(mirror);
            Map<String, String> created = overrides(destination, topic);
            assertThat(created).containsEntry("cleanup.policy", "compact").containsEntry("retention.ms", "123456789")
                    .containsEntry("max.message.bytes", "200000").doesNotContainKey("min.insync.replicas");

            alter(source, topic, List.of(
                    new AlterConfigOp(new ConfigEntry("retention.ms", "987654321"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("max.message.bytes", ""), AlterConfigOp.OpType.DELETE),
                    new AlterConfigOp(new ConfigEntry("min.insync.replicas", "1"), AlterConfigOp.OpType.SET)));
            await("retention.ms synced and max.message.bytes back to the default on the destination", () -> {
                Map<String, String> now = overrides(destination, topic);
                return "987654321".equals(now.get("retention.ms")) && !now.containsKey("max.message.bytes");
            });
            assertThat(overrides(destination, topic)).containsEntry("cleanup.policy", "compact")
                    .doesNotContainKey("min.insync.replicas");
        }
    }

    @Test
    void compactedTopicWithTombstones_hasTheSameLatestValuePerKey() throws Exception {
        String topic = Topics.unique("compacted");
        source.createTopic(topic, 3, Map.of("cleanup.policy", "compact"));
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            records.add(new ProducerRecord<>(topic, bytes("key-" + i % 30), i % 7 == 0 ? null : bytes("value-" + i)));
        }
        source.produce(topic, records);

        try (Mirror mirror = mirror(source, destination, TopicFilter.include(topic), Topics.unique("group")).build()) {
            mirror.start();
            assertCaughtUp(mirror);
        }

        Map<String, String> expected = latestValues(source.readAll(topic));
        Map<String, String> actual = latestValues(destination.readAll(topic));
        assertThat(expected).containsValue(null);
        assertThat(actual).isEqualTo(expected);
        assertThat(overrides(destination, topic)).containsEntry("cleanup.policy", "compact");
    }

    @Test
    void namingTwoSourceTopicsOntoOne_failsNamingBoth() {
        String prefix = Topics.unique("clash");
        source.createTopic(prefix + "-a", 1);
        source.createTopic(prefix + "-b", 1);
        Mirror mirror = mirror(source, destination, TopicFilter.include(prefix + "-.*"), Topics.unique("group"))
                .topicNaming(sourceTopic -> prefix + "-merged").build();
        mirror.start();
        await("mirror FAILED", () -> mirror.state() == MirrorState.FAILED);
        assertThat(mirror.failure()).get().extracting(Throwable::getMessage).asString()
                .contains("maps source topics " + prefix + "-a and " + prefix + "-b onto one destination topic " + prefix + "-merged");
        assertThat(destination.topics()).doesNotContain(prefix + "-merged");
    }

    @Test
    void refusedTopicCreation_failsTheMirrorByDefault_orSkipsJustThatTopic() throws Exception {
        String prefix = Topics.unique("policy");
        String allowed = prefix + "-allowed";
        String forbidden = prefix + "-forbidden";
        source.createTopic(allowed, 2);
        source.createTopic(forbidden, 2);
        source.produceKeyed(allowed, 500, 50, 1);
        source.produceKeyed(forbidden, 500, 50, 2);
        try (EmbeddedKafkaCluster guarded = EmbeddedKafkaCluster.builder()
                .brokerConfig("create.topic.policy.class.name", RefuseForbiddenTopics.class.getName()).start()) {
            Mirror strict = mirror(source, guarded, TopicFilter.include(prefix + "-.*"), Topics.unique("group")).build();
            strict.start();
            await("mirror FAILED", () -> strict.state() == MirrorState.FAILED);
            assertThat(strict.failure()).get().extracting(Throwable::getMessage).asString()
                    .contains("the destination refused to create topic " + forbidden)
                    .contains("is forbidden here");

            try (Mirror lenient = mirror(source, guarded, TopicFilter.include(prefix + "-.*"), Topics.unique("group"))
                    .onTopicError(TopicErrorPolicy.SKIP_TOPIC).build()) {
                lenient.start();
                awaitRunning(lenient);
                await("allowed topic mirrored", () -> lenient.metrics().recordsMirrored() == 500);
                assertThat(lenient.metrics().skippedTopics()).containsOnlyKeys(forbidden);
                assertThat(lenient.metrics().skippedTopics().get(forbidden)).contains("is forbidden here");
                assertThat(lenient.state()).isEqualTo(MirrorState.RUNNING);
            }
            assertThat(guarded.readAll(allowed)).hasSize(500);
            assertThat(guarded.topics()).doesNotContain(forbidden);
        }
    }

    private static Map<String, String> latestValues(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, String> latest = new HashMap<>();
        byPartition(records).values().forEach(views -> views.forEach(v -> latest.put(v.key(), v.value())));
        return latest;
    }

    private static Map<String, String> overrides(TestKafkaCluster cluster, String topic) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            Config config = cluster.admin().describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
            Map<String, String> overrides = new HashMap<>();
            for (ConfigEntry entry : config.entries()) {
                if (entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
                    overrides.put(entry.name(), entry.value());
                }
            }
            return overrides;
        } catch (Exception e) {
            throw new AssertionError("cannot read the configs of " + topic, e);
        }
    }

    private static void alter(TestKafkaCluster cluster, String topic, Collection<AlterConfigOp> ops) throws Exception {
        cluster.admin().incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), ops))
                .all().get(30, TimeUnit.SECONDS);
    }
}
