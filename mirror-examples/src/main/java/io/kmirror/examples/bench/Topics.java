package io.kmirror.examples.bench;

import io.kmirror.testkit.EmbeddedKafkaCluster;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** What the orchestrator asks a cluster about topics, through its admin client: end offsets, waiting, deleting. */
final class Topics {

    private static final long POLL_MILLIS = 100;

    private Topics() {
    }

    /** The sum of the end offsets of {@code topics}' partitions (transaction markers count). */
    static long endOffsetSum(EmbeddedKafkaCluster cluster, List<String> topics) throws InterruptedException {
        long sum = 0;
        for (String topic : topics) {
            sum += endOffsetSum(cluster, topic);
        }
        return sum;
    }

    /** The sum of the end offsets of {@code topic}'s partitions (transaction markers count); 0 if it does not exist. */
    static long endOffsetSum(EmbeddedKafkaCluster cluster, String topic) throws InterruptedException {
        try {
            TopicDescription description = cluster.admin().describeTopics(List.of(topic)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(topic);
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            description.partitions().forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                    cluster.admin().listOffsets(request).all().get(30, TimeUnit.SECONDS);
            return ends.values().stream().mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return 0;
            }
            throw new IllegalStateException("cannot read the end offsets of " + topic + ": " + e.getCause(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("reading the end offsets of " + topic + " timed out", e);
        }
    }

    /**
     * Waits until {@code topic}'s end offsets add up to at least {@code records} and have not moved
     * for {@code quiet}.
     *
     * @return false at the timeout
     */
    static boolean awaitRecords(EmbeddedKafkaCluster cluster, String topic, long records, Duration quiet, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = -1;
        long since = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now = endOffsetSum(cluster, topic);
            if (now != last) {
                last = now;
                since = System.nanoTime();
            }
            if (now >= records && System.nanoTime() - since >= quiet.toNanos()) {
                return true;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return false;
    }

    /** Deletes {@code topics}, ignoring ones that do not exist, and waits for the deletion to be accepted. */
    static void delete(EmbeddedKafkaCluster cluster, Collection<String> topics) throws InterruptedException {
        try {
            cluster.admin().deleteTopics(topics).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                throw new IllegalStateException("cannot delete " + topics + ": " + e.getCause(), e.getCause());
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("deleting " + topics + " timed out", e);
        }
    }
}
