package io.kmirror.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.Test;

class MultiBrokerClusterIT {

    @Test
    void clusterOfThree_keepsEveryRecordThroughTheRestartOfOneBroker() throws Exception {
        try (EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.start(3)) {
            assertThat(kafka.brokerCount()).isEqualTo(3);
            String bootstrapServers = kafka.bootstrapServers();
            int restarted = Collections.max(kafka.brokerIds()); // not broker 0, which hosts the controller
            String topic = Topics.unique("replicated");
            kafka.createTopic(topic, 4, 3);
            String defaultTopic = Topics.unique("default-replication");
            kafka.createTopic(defaultTopic, 1);
            TopicDescription description = kafka.admin().describeTopics(List.of(defaultTopic)).allTopicNames().get().get(defaultTopic);
            assertThat(description.partitions().get(0).replicas()).hasSize(3);

            List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>(kafka.produceKeyed(topic, 200, 20, 1L));
            kafka.stopBroker(restarted);
            assertThat(kafka.admin().describeCluster().nodes().get()).extracting(Node::id).doesNotContain(restarted);
            sent.addAll(kafka.produceKeyed(topic, 200, 20, 2L));
            kafka.restartBroker(restarted);
            sent.addAll(kafka.produceKeyed(topic, 200, 20, 3L));

            assertThat(kafka.readAll(topic)).extracting(RecordViews::of)
                    .containsExactlyInAnyOrderElementsOf(sent.stream().map(RecordViews::of).toList());
            // the restarted broker is back on its former port: the original bootstrap string still names it
            assertThat(kafka.bootstrapServers()).isEqualTo(bootstrapServers);
            Map<Integer, Integer> ports = kafka.admin().describeCluster().nodes().get().stream()
                    .collect(Collectors.toMap(Node::id, Node::port));
            assertThat(ports).containsOnlyKeys(kafka.brokerIds());
            String restartedAddress = "localhost:" + ports.get(restarted);
            assertThat(bootstrapServers.split(",")).contains(restartedAddress);
            try (Admin onlyTheRestartedBroker = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, restartedAddress))) {
                assertThat(onlyTheRestartedBroker.describeCluster().clusterId().get()).isEqualTo(kafka.clusterId());
            }
        }
    }
}
