package io.kmirror.testkit.internal;

import io.kmirror.testkit.TestKafkaCluster;

import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;

/** Describes topics through the cluster's admin client: partitions, end offsets, names, configuration. */
public final class TopicInspection {

    private TopicInspection() {
    }

    /**
     * Returns the partitions of a topic, in partition order.
     *
     * @param cluster the cluster
     * @param topic an existing topic
     * @return the partitions, unmodifiable
     * @throws org.apache.kafka.common.errors.UnknownTopicOrPartitionException if the topic does not exist
     */
    public static List<TopicPartition> partitions(TestKafkaCluster cluster, String topic) {
        Objects.requireNonNull(topic, "topic must not be null");
        TopicDescription description = KafkaCalls.get(cluster.admin().describeTopics(List.of(topic)).allTopicNames(),
                "describe topic " + topic, cluster.waitTimeout()).get(topic);
        return description.partitions().stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition))
                .toList();
    }

    /**
     * Returns the end offset (high watermark) of each partition of a topic.
     *
     * @param cluster the cluster
     * @param topic an existing topic
     * @return end offsets by partition, in partition order, unmodifiable
     */
    public static Map<TopicPartition, Long> endOffsets(TestKafkaCluster cluster, String topic) {
        List<TopicPartition> partitions = partitions(cluster, topic);
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result = KafkaCalls.get(
                cluster.admin().listOffsets(request).all(), "list end offsets of " + topic, cluster.waitTimeout());
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        partitions.forEach(tp -> offsets.put(tp, result.get(tp).offset()));
        return Collections.unmodifiableMap(offsets);
    }

    /**
     * Returns the names of the cluster's topics, internal topics excluded.
     *
     * @param cluster the cluster
     * @return the names, unmodifiable
     */
    public static Set<String> topics(TestKafkaCluster cluster) {
        return Set.copyOf(KafkaCalls.get(cluster.admin().listTopics().names(), "list topics", cluster.waitTimeout()));
    }

    /**
     * Returns every configuration entry of a topic, defaults included.
     *
     * @param cluster the cluster
     * @param topic an existing topic
     * @return value by key, sorted by key, unmodifiable; a key without a value (a sensitive one) maps to ""
     */
    public static Map<String, String> config(TestKafkaCluster cluster, String topic) {
        Objects.requireNonNull(topic, "topic must not be null");
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = KafkaCalls.get(cluster.admin().describeConfigs(List.of(resource)).all(),
                "describe the configuration of topic " + topic, cluster.waitTimeout()).get(resource);
        Map<String, String> values = new TreeMap<>();
        for (ConfigEntry entry : config.entries()) {
            values.put(entry.name(), entry.value() == null ? "" : entry.value());
        }
        return Collections.unmodifiableMap(values);
    }

    /**
     * Returns the offsets a consumer group committed, by partition in topic then partition order.
     *
     * @param cluster the cluster
     * @param group the group id
     * @return committed offset by partition, unmodifiable; empty if the group committed nothing
     */
    public static Map<TopicPartition, Long> committedOffsets(TestKafkaCluster cluster, String group) {
        Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed = KafkaCalls.get(
                cluster.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(),
                "list the committed offsets of group " + group, cluster.waitTimeout());
        Map<TopicPartition, Long> offsets = new TreeMap<>(
                Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        committed.forEach((partition, offset) -> {
            if (offset != null) {
                offsets.put(partition, offset.offset());
            }
        });
        return Collections.unmodifiableMap(offsets);
    }
}
