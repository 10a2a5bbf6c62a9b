package io.kmirror.testkit.internal;

import io.kmirror.testkit.ClusterTopic;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Everything a {@code read_committed} reader sees in a topic at one moment, by partition in offset
 * order, and the topic's partition count.
 *
 * @param topic the topic
 * @param partitionCount its number of partitions
 * @param records every record, by partition then offset
 */
public record TopicSnapshot(ClusterTopic topic, int partitionCount, List<ConsumerRecord<byte[], byte[]>> records) {

    /**
     * Reads a topic.
     *
     * @param topic the topic
     * @return the snapshot
     * @throws MismatchException if the topic does not exist
     */
    public static TopicSnapshot read(ClusterTopic topic) {
        try {
            int partitions = topic.cluster().partitionCount(topic.name());
            return new TopicSnapshot(topic, partitions, topic.cluster().readAll(topic.name()));
        } catch (UnknownTopicOrPartitionException e) {
            throw new MismatchException(Mismatch.of(missing(topic)));
        }
    }

    /**
     * Returns the message for a topic that does not exist.
     *
     * @param topic the topic
     * @return {@code "topic orders does not exist on destination"}
     */
    public static String missing(ClusterTopic topic) {
        return "topic " + topic.name() + " does not exist on " + topic.cluster().name();
    }

    /**
     * Returns the records of each partition, in offset order; partitions without records are absent.
     *
     * @return records by partition, sorted by partition
     */
    public SortedMap<Integer, List<ConsumerRecord<byte[], byte[]>>> byPartition() {
        SortedMap<Integer, List<ConsumerRecord<byte[], byte[]>>> partitions = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            partitions.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(record);
        }
        return Collections.unmodifiableSortedMap(partitions);
    }

    /**
     * Returns the topic's name.
     *
     * @return the name
     */
    public String name() {
        return topic.name();
    }
}
