package io.kmirror.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaClusterIT {

    private static EmbeddedKafkaCluster kafka;

    @BeforeAll
    static void startCluster() {
        kafka = EmbeddedKafkaCluster.start();
    }

    @AfterAll
    static void closeCluster() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void readAll_returnsExactlyTheProducedRecordsInPartitionOrder() {
        String topic = Topics.unique("orders");
        kafka.createTopic(topic, 8);

        List<ProducerRecord<byte[], byte[]>> sent = kafka.produceKeyed(topic, 1000, 50, 42L);
        List<ConsumerRecord<byte[], byte[]>> read = kafka.readAll(topic);

        assertThat(read).hasSize(1000)
                .isSortedAccordingTo(Comparator.<ConsumerRecord<byte[], byte[]>>comparingInt(ConsumerRecord::partition)
                        .thenComparingLong(ConsumerRecord::offset));
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byPartition = read.stream()
                .collect(Collectors.groupingBy(ConsumerRecord::partition, TreeMap::new, Collectors.toList()));
        assertThat(byPartition.keySet()).hasSizeGreaterThan(1).allMatch(p -> p >= 0 && p < 8);
        byPartition.forEach((partition, records) -> {
            Set<String> keys = records.stream().map(RecordViews::key).collect(Collectors.toSet());
            // every key lives in one partition, in send order; a key in two partitions would break the sizes
            List<String> expected = sent.stream().filter(r -> keys.contains(RecordViews.key(r))).map(RecordViews::of).toList();
            assertThat(records).as("partition %d", partition).extracting(RecordViews::of).containsExactlyElementsOf(expected);
            assertThat(records).as("offsets of partition %d", partition).extracting(ConsumerRecord::offset)
                    .containsExactlyElementsOf(LongStream.range(0, records.size()).boxed().toList());
        });
        assertThat(kafka.endOffsets(topic).values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1000);
    }

    @Test
    void produceKeyed_makesTheSameRecordsFromTheSameSeed() {
        String first = Topics.unique("seeded");
        String second = Topics.unique("seeded");
        kafka.createTopic(first, 2);
        kafka.createTopic(second, 2);

        List<ProducerRecord<byte[], byte[]>> a = kafka.produceKeyed(first, 20, 5, 7L);
        List<ProducerRecord<byte[], byte[]>> b = kafka.produceKeyed(second, 20, 5, 7L);
        List<ProducerRecord<byte[], byte[]>> c = kafka.produceKeyed(second, 20, 5, 8L);

        assertThat(a).extracting(RecordViews::of).containsExactlyElementsOf(b.stream().map(RecordViews::of).toList())
                .isNotEqualTo(c.stream().map(RecordViews::of).toList());
        assertThat(a).extracting(RecordViews::key).allMatch(key -> key.matches("key-[0-4]"));
        assertThat(a).extracting(r -> r.value().length).containsOnly(100);
        assertThat(a).extracting(r -> new String(r.headers().lastHeader("seq").value(), UTF_8))
                .containsExactlyElementsOf(LongStream.range(0, 20).mapToObj(Long::toString).toList());
    }

    @Test
    void createTopic_returnsATopicThatAFirstSendToEachPartitionReaches() throws Exception {
        Map<String, Object> config = kafka.clientConfig();
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // a lost first batch (KAFKA-15591) fails within seconds instead of the default two minutes
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int round = 0; round < 3; round++) {
                String topic = Topics.unique("fresh");
                kafka.createTopic(topic, 4);

                List<Future<RecordMetadata>> sends = new ArrayList<>();
                for (int partition = 0; partition < 4; partition++) {
                    sends.add(producer.send(new ProducerRecord<>(topic, partition, null, ("first-" + partition).getBytes(UTF_8))));
                }
                for (Future<RecordMetadata> send : sends) {
                    assertThat(send.get().offset()).isZero();
                }
                assertThat(kafka.readAll(topic)).extracting(ConsumerRecord::partition).containsExactly(0, 1, 2, 3);
            }
        }
    }

    @Test
    void transactions_committedRecordsAreRead_abortedOnesOnlyReadUncommitted_andMarkersTakeOffsets() {
        String topic = Topics.unique("transactions");
        kafka.createTopic(topic, 2);

        kafka.produceInTransaction(topic, values(topic, "committed-a", 6));
        kafka.produceAbortedTransaction(topic, values(topic, "aborted", 4));
        kafka.produceInTransaction(topic, values(topic, "committed-b", 2));

        assertThat(kafka.readAll(topic)).extracting(r -> new String(r.value(), UTF_8))
                .containsExactlyInAnyOrder("committed-a-0", "committed-a-1", "committed-a-2", "committed-a-3",
                        "committed-a-4", "committed-a-5", "committed-b-0", "committed-b-1");
        // the aborted records were flushed before the abort: they are in the log
        assertThat(kafka.readAll(topic, IsolationLevel.READ_UNCOMMITTED)).hasSize(12)
                .extracting(r -> new String(r.value(), UTF_8)).contains("aborted-0", "aborted-1", "aborted-2", "aborted-3");
        assertThat(kafka.readAll(topic, false)).hasSize(12);
        // three transactions, each touching both partitions: one marker per transaction and partition
        assertThat(kafka.endOffsets(topic).values().stream().mapToLong(Long::longValue).sum()).isEqualTo(12 + 6);
    }

    private static List<ProducerRecord<byte[], byte[]>> values(String topic, String prefix, int count) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(new ProducerRecord<>(topic, i % 2, null, (prefix + "-" + i).getBytes(UTF_8)));
        }
        return records;
    }

    @Test
    void produceInTransaction_refusesARecordForAnotherTopic() {
        assertThatThrownBy(() -> kafka.produceInTransaction("a", List.of(new ProducerRecord<>("b", new byte[0]))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a record for topic b was passed to produce(a, ..)");
    }

    @Test
    void readAll_ofAMissingTopic_failsWithoutCreatingIt() {
        String topic = Topics.unique("missing");

        assertThatThrownBy(() -> kafka.readAll(topic)).isInstanceOf(UnknownTopicOrPartitionException.class);
        assertThat(kafka.topics()).doesNotContain(topic);
    }

    @Test
    void describingMethods_reportTheClusterAndItsTopics() throws Exception {
        String topic = Topics.unique("compacted");
        kafka.createTopic(topic, 3, Map.of("cleanup.policy", "compact"));

        assertThat(kafka.topics()).contains(topic).noneMatch(name -> name.startsWith("__"));
        assertThat(kafka.partitionCount(topic)).isEqualTo(3);
        assertThat(kafka.endOffsets(topic)).containsExactly(
                Map.entry(new TopicPartition(topic, 0), 0L),
                Map.entry(new TopicPartition(topic, 1), 0L),
                Map.entry(new TopicPartition(topic, 2), 0L));
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = kafka.admin().describeConfigs(List.of(resource)).all().get().get(resource);
        assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
        assertThat(kafka.admin().describeCluster().clusterId().get()).isEqualTo(kafka.clusterId());
        assertThat(kafka.brokerCount()).isEqualTo(1);
        assertThat(kafka.brokerIds()).containsExactly(0);
        assertThat(kafka.bootstrapServers()).matches("localhost:\\d+");
        assertThat(kafka.name()).isEqualTo(kafka.clusterId());
        assertThat(kafka.waitTimeout()).isEqualTo(java.time.Duration.ofSeconds(60));
        assertThat(kafka.topic(topic)).isEqualTo(new ClusterTopic(kafka, topic)).hasToString(topic + " on " + kafka.clusterId());
        assertThat(kafka.topicConfig(topic)).containsEntry("cleanup.policy", "compact");

        Map<String, Object> clientConfig = kafka.clientConfig();
        assertThat(clientConfig).containsExactly(Map.entry("bootstrap.servers", kafka.bootstrapServers()));
        clientConfig.put("client.id", "changed");
        assertThat(kafka.clientConfig()).doesNotContainKey("client.id");
    }

    @Test
    void close_stopsTheBrokersDeletesTheDataDirectoryAndMayBeRepeated() {
        EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start();
        Path directory = cluster.baseDirectory();
        int port = Integer.parseInt(cluster.bootstrapServers().substring("localhost:".length()));
        assertThat(directory).isNotEmptyDirectory();

        cluster.close();

        assertThat(directory).doesNotExist();
        assertThatThrownBy(() -> new Socket("localhost", port).close()).isInstanceOf(IOException.class);
        assertThatCode(cluster::close).doesNotThrowAnyException();
        assertThatThrownBy(() -> cluster.createTopic("any", 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
    }
}
