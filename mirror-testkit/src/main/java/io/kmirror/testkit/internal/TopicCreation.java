package io.kmirror.testkit.internal;

import io.kmirror.testkit.TestKafkaCluster;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Creates topics that can be written at once: {@code createTopics} returns before the leaders serve,
 * and an idempotent producer writing then can lose its first batch (KAFKA-15591), so creation waits
 * until each partition's leader answers a {@code ListOffsets} request.
 */
public final class TopicCreation {

    private TopicCreation() {
    }

    /**
     * Creates a topic, then calls {@link TestKafkaCluster#awaitTopicWritable(String, int)}.
     *
     * @param cluster the cluster
     * @param name the topic
     * @param partitions at least 1
     * @param replicationFactor empty for the broker default
     * @param configs topic configuration
     */
    public static void create(TestKafkaCluster cluster, String name, int partitions, Optional<Short> replicationFactor,
                              Map<String, String> configs) {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(configs, "configs must not be null");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        NewTopic topic = new NewTopic(name, Optional.of(partitions), replicationFactor).configs(configs);
        KafkaCalls.get(cluster.admin().createTopics(List.of(topic)).all(), "create topic " + name, cluster.waitTimeout());
        cluster.awaitTopicWritable(name, partitions);
    }

    /**
     * Polls {@code ListOffsets} for partitions {@code 0..partitions-1} until each one's leader answered.
     *
     * @param cluster the cluster
     * @param topic the topic
     * @param partitions the number of partitions to wait for
     * @throws TimeoutException naming the partitions still without an answering leader after the
     *         cluster's wait timeout, and the last error
     */
    public static void awaitLeadersAnswer(TestKafkaCluster cluster, String topic, int partitions) {
        Set<TopicPartition> pending = new TreeSet<>(Comparator.comparingInt(TopicPartition::partition));
        for (int p = 0; p < partitions; p++) {
            pending.add(new TopicPartition(topic, p));
        }
        long deadline = System.nanoTime() + cluster.waitTimeout().toNanos();
        Throwable lastError = null;
        while (true) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            pending.forEach(tp -> request.put(tp, OffsetSpec.latest()));
            ListOffsetsResult result = cluster.admin().listOffsets(request,
                    new ListOffsetsOptions().timeoutMs(KafkaCalls.attemptTimeoutMs(deadline)));
            for (TopicPartition tp : List.copyOf(pending)) {
                try {
                    result.partitionResult(tp).get();
                    pending.remove(tp);
                } catch (ExecutionException e) {
                    lastError = e.getCause();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptException(e);
                }
            }
            if (pending.isEmpty()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException("partition(s) " + pending + " of topic " + topic
                        + " had no leader that answered ListOffsets within " + cluster.waitTimeout()
                        + "; last error: " + lastError);
            }
            KafkaCalls.pause(KafkaCalls.POLL_PAUSE);
        }
    }
}
