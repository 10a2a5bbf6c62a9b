package io.kmirror.testkit.internal;

import io.kmirror.testkit.TestKafkaCluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a whole topic, from the beginning of each partition to its end as of the call, with
 * {@code assign()}: no group, nothing committed, the topic never created by the read.
 */
public final class RecordReader {

    private RecordReader() {
    }

    /**
     * Reads every record of every partition of a topic.
     *
     * @param cluster the cluster
     * @param topic an existing topic
     * @param isolation {@code READ_COMMITTED}: up to the last stable offset, aborted records skipped;
     *        {@code READ_UNCOMMITTED}: up to the high watermark, aborted records included
     * @return the records, by partition then offset, unmodifiable
     * @throws org.apache.kafka.common.errors.UnknownTopicOrPartitionException if the topic does not exist
     * @throws TimeoutException if a partition was not read to its end within the cluster's wait timeout
     */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(TestKafkaCluster cluster, String topic, IsolationLevel isolation) {
        Objects.requireNonNull(isolation, "isolation must not be null");
        List<TopicPartition> partitions = TopicInspection.partitions(cluster, topic);
        Duration waitTimeout = cluster.waitTimeout();
        Map<String, Object> config = cluster.clientConfig();
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, ClientIds.next(cluster.clusterId(), "reader"));
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString());
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        // every partition read still has records below its end offset: no reason to let the broker wait for more
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        long deadline = System.nanoTime() + waitTimeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> endOffsets = consumer.endOffsets(partitions, waitTimeout);
            Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> byPartition = new LinkedHashMap<>();
            partitions.forEach(tp -> byPartition.put(tp, new ArrayList<>()));
            Set<TopicPartition> pending = new HashSet<>(partitions);
            while (true) {
                Set<TopicPartition> done = new HashSet<>();
                for (TopicPartition tp : pending) {
                    if (consumer.position(tp, waitTimeout) >= endOffsets.get(tp)) {
                        done.add(tp);
                    }
                }
                pending.removeAll(done);
                consumer.pause(done);
                if (pending.isEmpty()) {
                    break;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new TimeoutException("readAll(" + topic + ") did not reach the end of partition(s) "
                            + pending.stream().sorted(Comparator.comparingInt(TopicPartition::partition))
                                    .map(tp -> tp.partition() + " (position " + consumer.position(tp) + ", end offset " + endOffsets.get(tp) + ")")
                                    .collect(Collectors.joining(", "))
                            + " within " + waitTimeout);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() < endOffsets.get(tp)) {
                        byPartition.get(tp).add(record);
                    }
                }
            }
            List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
            byPartition.values().forEach(all::addAll);
            return List.copyOf(all);
        }
    }
}
