package io.kmirror.internal;

import io.kmirror.TopicFilter;
import io.kmirror.internal.offsets.OffsetMetadata;
import io.kmirror.internal.topics.TopicWatcher;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers "has the mirror caught up with the source as it is now": reads the end offsets (high watermarks) of
 * every partition of every matching source topic once (topics left out under SKIP_TOPIC do not count),
 * then polls the group's committed offsets (on the cluster where the guarantee keeps them, so
 * partitions owned by other processes of the group count too) until each reaches its end offset.
 *
 * <p>Exactly-once, the committed offsets are not yet the records: the transaction coordinator writes the
 * commit markers of a transaction's partitions one by one, so the group's offsets can show a commit while its
 * records are still invisible to {@code read_committed} readers. So once the offsets reached the ends, it waits
 * until the destination topics' last stable offsets reach their high watermarks as they were then.
 */
final class CatchUpWaiter {

    private static final long POLL_MILLIS = 50;
    /** How often a long wait says what it waits for (a mirror run until caught up waits without a timeout). */
    private static final long REPORT_EVERY_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int REPORTED_PARTITIONS = 10;
    private static final Logger log = LoggerFactory.getLogger(CatchUpWaiter.class);

    private final Admin sourceAdmin;
    private final ClusterAccess sourceAccess;
    private final Admin offsetsAdmin;
    private final ClusterAccess offsetsAccess;
    private final TopicFilter filter;
    private final Supplier<Set<String>> skippedTopics;
    private final String groupId;
    private final UnaryOperator<TopicPartition> offsetKey;
    private final boolean transactional;

    /**
     * @param offsetsAdmin  where group {@code groupId} keeps the mirror's offsets
     * @param offsetsAccess that cluster's side
     * @param offsetKey     the partition under which a source partition's offset is committed there
     * @param transactional whether the offsets are committed in the destination's transactions with the records
     *                      (exactly-once; {@code offsetsAdmin} is then the destination's)
     */
    CatchUpWaiter(Admin sourceAdmin, ClusterAccess sourceAccess, Admin offsetsAdmin, ClusterAccess offsetsAccess,
            TopicFilter filter, Supplier<Set<String>> skippedTopics, String groupId, UnaryOperator<TopicPartition> offsetKey,
            boolean transactional) {
        this.sourceAdmin = sourceAdmin;
        this.sourceAccess = sourceAccess;
        this.offsetsAdmin = offsetsAdmin;
        this.offsetsAccess = offsetsAccess;
        this.offsetKey = offsetKey;
        this.filter = filter;
        this.skippedTopics = skippedTopics;
        this.groupId = groupId;
        this.transactional = transactional;
    }

    /**
     * @param keepWaiting false once the mirror stopped
     * @return true when caught up before {@code deadlineNanos}
     */
    boolean await(long deadlineNanos, BooleanSupplier keepWaiting) throws InterruptedException {
        long startedNanos = System.nanoTime();
        Map<String, TopicDescription> topics;
        try {
            topics = TopicWatcher.describeMatching(sourceAdmin, filter);
        } catch (KafkaException e) {
            throw sourceAccess.named(e, "DESCRIBE on " + ClusterAccess.resource(e, "the mirrored topics"));
        }
        Map<TopicPartition, Long> ends = endOffsets(topics);
        Map<TopicPartition, Long> written = null;
        long reportNanos = startedNanos + REPORT_EVERY_NANOS;
        while (true) {
            // each partition not there yet, with how far it is: its committed offset, then how far readers see
            Map<TopicPartition, Long> behind = Map.of();
            if (written == null) {
                behind = uncommitted(ends, topics);
                if (behind.isEmpty()) {
                    if (!transactional) {
                        return true;
                    }
                    written = latestOffsets(offsetsAdmin, offsetsAccess, "the destination topics", destinationPartitions(topics),
                            IsolationLevel.READ_UNCOMMITTED);
                }
            }
            if (written != null) {
                behind = invisible(written);
                if (behind.isEmpty()) {
                    return true;
                }
            }
            if (!keepWaiting.getAsBoolean()) {
                return false;
            }
            long now = System.nanoTime();
            if (now >= deadlineNanos || now >= reportNanos) {
                report(behind, written == null ? ends : written, written == null ? "committed" : "visible to read_committed readers",
                        now - startedNanos, now >= deadlineNanos ? "giving up" : "still waiting");
                reportNanos = now + REPORT_EVERY_NANOS;
            }
            if (now >= deadlineNanos) {
                return false;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /**
     * Logs what a long or timed-out wait waits for, as the clusters have it (the group's offsets, the destination's
     * stable offsets): whether the mirror's commits arrive there is what it tells.
     */
    private void report(Map<TopicPartition, Long> behind, Map<TopicPartition, Long> targets, String what, long waitedNanos,
            String outcome) {
        String partitions = behind.entrySet().stream().limit(REPORTED_PARTITIONS)
                .map(e -> e.getKey() + " at " + e.getValue() + " of " + targets.get(e.getKey()))
                .collect(Collectors.joining(", ")) + (behind.size() > REPORTED_PARTITIONS ? ", ..." : "");
        log.info("Group {}: not caught up after {} s, {}: {} partitions not {} to their end: {}", groupId,
                String.format(java.util.Locale.ROOT, "%.1f", waitedNanos / 1e9), outcome, behind.size(), what, partitions);
    }

    private Map<TopicPartition, Long> endOffsets(Map<String, TopicDescription> topics) throws InterruptedException {
        Set<TopicPartition> partitions = new HashSet<>();
        Set<String> skipped = skippedTopics.get();
        topics.forEach((topic, description) -> {
            for (int p = 0; p < description.partitions().size() && !skipped.contains(topic); p++) {
                partitions.add(new TopicPartition(topic, p));
            }
        });
        // the high watermark, not the last stable offset: another writer's open transaction (the other direction of a
        // two-way mirror) holds the latter back, and the records written after that transaction began are at the
        // source now too; the mirror's committed offsets pass them once the transaction ends
        return latestOffsets(sourceAdmin, sourceAccess, "the mirrored topics", partitions, IsolationLevel.READ_UNCOMMITTED);
    }

    /** The partitions of the destination topics of {@code topics} (those that exist). */
    private Set<TopicPartition> destinationPartitions(Map<String, TopicDescription> topics) throws InterruptedException {
        Set<String> names = new HashSet<>();
        topics.keySet().forEach(topic -> names.add(offsetKey.apply(new TopicPartition(topic, 0)).topic()));
        Set<TopicPartition> partitions = new HashSet<>();
        if (names.isEmpty()) {
            return partitions;
        }
        Map<String, KafkaFuture<TopicDescription>> described = offsetsAdmin.describeTopics(names).topicNameValues();
        for (Map.Entry<String, KafkaFuture<TopicDescription>> topic : described.entrySet()) {
            try {
                get(offsetsAccess, "the destination topics", topic.getValue()).partitions()
                        .forEach(p -> partitions.add(new TopicPartition(topic.getKey(), p.partition())));
            } catch (KafkaException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
        }
        return partitions;
    }

    /** The end offsets of {@code partitions}: high watermarks, or last stable offsets with READ_COMMITTED. */
    private static Map<TopicPartition, Long> latestOffsets(Admin admin, ClusterAccess access, String resource,
            Set<TopicPartition> partitions, IsolationLevel isolation) throws InterruptedException {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        if (partitions.isEmpty()) {
            return offsets;
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
        get(access, resource, admin.listOffsets(request, new ListOffsetsOptions(isolation)).all())
                .forEach((tp, info) -> offsets.put(tp, info.offset()));
        return offsets;
    }

    /** The partitions of {@code written} whose records below it read_committed readers cannot all see yet, with how far they see. */
    private Map<TopicPartition, Long> invisible(Map<TopicPartition, Long> written) throws InterruptedException {
        Map<TopicPartition, Long> stable = latestOffsets(offsetsAdmin, offsetsAccess, "the destination topics", written.keySet(),
                IsolationLevel.READ_COMMITTED);
        Map<TopicPartition, Long> invisible = new HashMap<>();
        written.forEach((tp, end) -> {
            long visible = stable.getOrDefault(tp, 0L);
            if (visible < end) {
                invisible.put(tp, visible);
            }
        });
        return invisible;
    }

    /** The partitions whose offset committed by the group is below their end, with that offset (0: none committed). */
    private Map<TopicPartition, Long> uncommitted(Map<TopicPartition, Long> ends, Map<String, TopicDescription> topics)
            throws InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed = get(offsetsAccess, "group " + groupId,
                offsetsAdmin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
        Map<TopicPartition, Long> uncommitted = new HashMap<>();
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            OffsetAndMetadata offset = committed.get(offsetKey.apply(end.getKey()));
            // an offset committed for an earlier topic of the same name says nothing about this one
            long at = offset == null || OffsetMetadata.isForAnotherTopic(offset, topics.get(end.getKey().topic()).topicId())
                    ? 0 : offset.offset();
            if (at < end.getValue()) {
                uncommitted.put(end.getKey(), at);
            }
        }
        return uncommitted;
    }

    /** The call's result; a refusal named as {@code DESCRIBE on} the resource. */
    private static <T> T get(ClusterAccess access, String resource, org.apache.kafka.common.KafkaFuture<T> future)
            throws InterruptedException {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw access.failure(e.getCause(), "DESCRIBE on " + ClusterAccess.resource(e.getCause(), resource),
                    () -> new KafkaException("cannot read the " + access + "'s offsets: " + e.getCause(), e.getCause()));
        } catch (TimeoutException e) {
            throw new KafkaException("reading the " + access + "'s offsets timed out", e);
        }
    }
}
