package io.kmirror.internal.stream;

import io.kmirror.SendFailurePolicy;
import io.kmirror.internal.ClusterAccess;
import io.kmirror.internal.Faults;
import io.kmirror.internal.offsets.InFlightBatch;
import io.kmirror.internal.offsets.OffsetMetadata;
import io.kmirror.internal.offsets.OffsetTracker;
import io.kmirror.internal.offsetmap.OffsetMapRecorder;
import io.kmirror.internal.offsetmap.OffsetMapTopic;
import io.kmirror.internal.produce.DestinationRoute;
import io.kmirror.internal.produce.KeyPreservingProducer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.annotation.Nullable;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At-least-once: records go through the stream's own producer, pipelined (the stream keeps polling
 * while they are in flight); acknowledgements only decrement counters; the source group's offsets are
 * committed only below records the destination acknowledged, and counted as committed only once the
 * commit succeeded. One producer per stream rather than one for all: the benchmark measured it as fast
 * or faster with less CPU, and a stream's flush on a rebalance then waits only for its own records.
 *
 * <p>A record the destination refuses is handled by the {@link SendFailurePolicy}; any other failure of a
 * send (the destination unreachable past {@code delivery.timeout.ms}, authentication, authorization)
 * stops the mirror under every policy; so does a commit the source refuses (a missing ACL on the group),
 * which no later commit can fix. Under {@link SendFailurePolicy#PAUSE_PARTITION} the refused
 * partition is paused until every record sent before has an outcome, committed up to the refused record,
 * rewound to it and retried with a growing backoff; the other partitions flow on.
 */
public final class AtLeastOnceDelivery implements Delivery {

    private static final Logger log = LoggerFactory.getLogger(AtLeastOnceDelivery.class);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration MAP_WRITE_TIMEOUT = Duration.ofSeconds(10);
    private static final long LAGGING_AFTER_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long HEALTH_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final StreamContext context;
    private final Consumer<byte[], byte[]> consumer;
    private final KeyPreservingProducer producer;
    private final long commitIntervalNanos;
    private final OffsetTracker tracker = new OffsetTracker();
    /** Where the records went, written before each commit; null when the mirror keeps no offset map. */
    @Nullable
    private final OffsetMapRecorder offsetMap;
    /** The first failure that stops the mirror, with its partition; set on the producer's thread. */
    private final AtomicReference<PartitionFailure> failure = new AtomicReference<>();
    /** A commit the source refused for good (authentication, authorization); set in commit callbacks, on the stream's thread. */
    private KafkaException commitRefused;
    /**
     * Partitions halted at a record: refused under PAUSE_PARTITION (filled on the producer's thread), or not
     * taken by the producer for now (its send timed out waiting for metadata or buffer space).
     */
    private final Map<TopicPartition, Halt> halted = new ConcurrentHashMap<>();
    /** Halted partitions, paused, waiting until every record sent before has an outcome. */
    private final Set<TopicPartition> settling = new HashSet<>();
    /** Per halted partition, the offset it was rewound to, until a commit passes it. */
    private final Map<TopicPartition, Long> rewoundTo = new HashMap<>();
    private final RetrySchedule pauses = new RetrySchedule(TimeUnit.SECONDS.toNanos(1), TimeUnit.MINUTES.toNanos(1));
    private final RetrySchedule retries = new RetrySchedule(TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.SECONDS.toNanos(5));
    private final long giveUpNanos;
    private final InFlightBatch.AckListener acks;
    private long lastCommitNanos = System.nanoTime();
    private boolean closed;
    /** Records of the partition being sent that have been handed to the producer (or dropped). */
    private int handedOver;
    /** The stream's thread while it is inside the producer's send, else null. */
    private volatile Thread sendingThread;
    /** When the send in progress started; read by a callback run inside it. */
    private long sendStartedNanos;
    private long lastHealthCheckNanos = System.nanoTime();

    /** Why a partition is halted: a refused record, or a send the producer could not take for now. */
    private record Halt(Exception cause, boolean refusal, long sinceNanos) {
    }

    /**
     * A delivery for the stream of {@code context} through {@code producer}, which it owns and closes.
     *
     * @param giveUpAfter how long a partition may keep failing to be sent before the mirror stops (delivery.timeout.ms)
     */
    public AtLeastOnceDelivery(StreamContext context, KeyPreservingProducer producer, Duration commitInterval,
            Duration giveUpAfter, @Nullable OffsetMapRecorder offsetMap) {
        this.context = context;
        this.offsetMap = offsetMap;
        this.consumer = context.consumer();
        this.producer = producer;
        this.commitIntervalNanos = commitInterval.toNanos();
        this.giveUpNanos = giveUpAfter.toNanos();
        this.acks = new InFlightBatch.AckListener() {
            @Override
            public void acknowledged(InFlightBatch batch, long sourceOffset, RecordMetadata metadata) {
                context.counters().acknowledged(batch.source(), metadata);
                if (offsetMap != null) {
                    offsetMap.acknowledged(batch.source(), sourceOffset, metadata);
                }
            }

            @Override
            public boolean failed(InFlightBatch batch, long sourceOffset, Exception exception) {
                // a callback run inside send() on the stream's thread: the producer did not take the record
                boolean notTaken = Thread.currentThread() == sendingThread;
                return sendFailed(batch.source(), sourceOffset, exception, notTaken);
            }
        };
    }

    /**
     * Decides about a failed send; on the producer's thread, or on the stream's when the producer did not
     * take the record ({@code notTaken}: its wait for metadata or buffer space timed out, which is retried).
     * Returns true when the record is skipped.
     */
    private boolean sendFailed(TopicPartition source, long offset, Exception exception, boolean notTaken) {
        SendFailurePolicy policy = context.sendFailurePolicy();
        if (notTaken && Faults.isTransient(exception)) {
            // failing since the send started: it blocked for max.block.ms before it gave up
            halted.putIfAbsent(source, new Halt(exception, false, sendStartedNanos));
            return false;
        }
        if (ClusterAccess.isDenied(exception)) {
            failure.compareAndSet(null, new PartitionFailure(source, context.destination().denial(exception,
                    ClusterAccess.producerNeeds(exception, "the destination topic of " + source, null))));
            return false;
        }
        if (!Faults.isRecordRefusal(exception)) {
            failure.compareAndSet(null, new PartitionFailure(source, new KafkaException("source partition " + source + ", offset " + offset
                    + ": the destination did not take the record (" + exception + "). This is not a refusal of the record"
                    + " but a cluster-wide failure (the destination unreachable for longer than delivery.timeout.ms, failed"
                    + " authentication or a missing permission), which stops the mirror under every onSendFailure policy;"
                    + " nothing from offset " + offset + " on is committed", exception)));
            return false;
        }
        if (policy == SendFailurePolicy.SKIP) {
            long skipped = context.counters().skipped();
            if (skipped == 1 || skipped % 1000 == 0) {
                log.warn("Stream {}: skipped the record at offset {} of source partition {} that the destination refused"
                        + " ({}); {} skipped so far (onSendFailure SKIP)", context.stream(), offset, source, exception.toString(), skipped);
            }
            return true;
        }
        if (policy == SendFailurePolicy.PAUSE_PARTITION) {
            halted.putIfAbsent(source, new Halt(exception, true, System.nanoTime()));
        } else {
            failure.compareAndSet(null, new PartitionFailure(source, new KafkaException("the destination refused the record"
                    + " at offset " + offset + " of source partition " + source + ": " + exception + "; nothing from offset "
                    + offset + " on is committed (onSendFailure FAIL; PAUSE_PARTITION would pause just this partition)",
                    exception)));
        }
        return false;
    }

    @Override
    public void assigned(Collection<TopicPartition> partitions) {
        tracker.assigned(partitions);
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions), COMMIT_TIMEOUT);
        List<TopicPartition> fresh = new ArrayList<>();
        List<TopicPartition> recreated = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata offset = committed.get(tp);
            if (offset == null) {
                fresh.add(tp);
            } else if (OffsetMetadata.isForAnotherTopic(offset, context.topicId(tp.topic()))) {
                recreated.add(tp);
            } else {
                consumer.seek(tp, offset);
            }
        }
        context.startPosition().apply(consumer, fresh);
        InitialPosition.fromBeginning(consumer, recreated);
        if (!fresh.isEmpty() && !context.startPosition().isEarliest()) {
            lastCommitNanos = 0; // commit the start at once: found again later, "latest" or a time would be elsewhere
        }
        for (TopicPartition tp : partitions) {
            consumer.position(tp);
        }
    }

    @Override
    public void send(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
        if (records.isEmpty()) {
            return;
        }
        // Every partition's batch is registered before the first send: if a send throws, the batches
        // not yet sent stay incomplete, so their offsets are never committed.
        List<TopicPartition> partitions = new ArrayList<>(records.partitions().size());
        List<InFlightBatch> batches = new ArrayList<>(records.partitions().size());
        for (TopicPartition tp : records.partitions()) {
            if (settling.contains(tp) || halted.containsKey(tp)) {
                continue; // paused: fetched before the pause, sent again after the rewind
            }
            List<ConsumerRecord<byte[], byte[]>> batch = records.records(tp);
            partitions.add(tp);
            batches.add(tracker.send(tp, batch.get(0).offset(), batch.get(0).timestamp(), batch.size(), acks));
        }
        int current = 0;
        boolean completed = false;
        try {
            for (; current < partitions.size(); current++) {
                sendPartition(partitions.get(current), records.records(partitions.get(current)), batches.get(current));
            }
            completed = true;
        } finally {
            if (!completed) {
                abandonUnsent(records, partitions, batches, current);
            }
        }
    }

    /** Every record of the poll has an outcome when the stream stops half-way through it: unsent ones count as failed. */
    private void abandonUnsent(ConsumerRecords<byte[], byte[]> records, List<TopicPartition> partitions,
            List<InFlightBatch> batches, int current) {
        for (int i = current; i < partitions.size(); i++) {
            List<ConsumerRecord<byte[], byte[]>> unsent = records.records(partitions.get(i));
            int from = i == current ? handedOver : 0;
            if (from < unsent.size()) {
                batches.get(i).abandon(unsent.get(from).offset(), unsent.size() - from);
            }
        }
    }

    private void sendPartition(TopicPartition tp, List<ConsumerRecord<byte[], byte[]>> records, InFlightBatch inFlight)
            throws InterruptedException {
        handedOver = 0;
        DestinationRoute route = context.outbound().routeFor(tp);
        for (ConsumerRecord<byte[], byte[]> record : records) {
            throwIfFailedNow(); // each send can block for max.block.ms: stop at the first failure
            if (!halted.isEmpty() && halted.containsKey(tp)) {
                inFlight.abandon(record.offset(), records.size() - handedOver); // sent again after the partition's rewind
                handedOver = records.size();
                return;
            }
            ConsumerRecord<byte[], byte[]> transformed = context.outbound().transform(record);
            if (transformed == null) {
                inFlight.dropped();
            } else {
                sendingThread = Thread.currentThread();
                sendStartedNanos = System.nanoTime();
                try {
                    route = context.outbound().checkSize(tp, transformed, route);
                    producer.send(tp.partition(), transformed, route, inFlight.callbackFor(record.offset()));
                } catch (RuntimeException e) {
                    inFlight.failWithoutSend(record.offset(), e);
                } finally {
                    sendingThread = null;
                }
            }
            handedOver++;
        }
        throwIfFailedNow();
    }

    private void throwIfFailedNow() {
        if (commitRefused != null) {
            throw commitRefused;
        }
        PartitionFailure failed = failure.get();
        if (failed != null) {
            context.health().failed(failed.partition(), failed.cause());
            throw failed.cause();
        }
    }

    @Override
    public void throwIfFailed() {
        throwIfFailedNow();
        long now = System.nanoTime();
        if (!halted.isEmpty() || !settling.isEmpty() || !pauses.isEmpty() || !retries.isEmpty()) {
            pauseHalted();
            rewindSettled(now);
            List<TopicPartition> due = new ArrayList<>(pauses.due(now));
            due.addAll(retries.due(now));
            for (TopicPartition tp : due) {
                log.info("Stream {}: retrying source partition {} from offset {}", context.stream(), tp, rewoundTo.get(tp));
                consumer.resume(List.of(tp));
            }
        }
        if (now - lastHealthCheckNanos >= HEALTH_CHECK_NANOS) {
            lastHealthCheckNanos = now;
            reportWaits(now);
        }
    }

    @Override
    public boolean holds(TopicPartition partition) {
        return settling.contains(partition) || pauses.waiting(partition) || retries.waiting(partition);
    }

    private void pauseHalted() {
        halted.forEach((tp, halt) -> {
            if (settling.add(tp)) {
                consumer.pause(List.of(tp));
                if (halt.refusal()) {
                    context.health().paused(tp, new KafkaException("the destination refused a record of source partition " + tp
                            + ": " + halt.cause() + "; retried with a growing backoff (onSendFailure PAUSE_PARTITION)", halt.cause()));
                } else {
                    context.health().lagging(tp, halt.cause());
                }
            }
        });
    }

    /**
     * Halted partitions whose records all have an outcome: commit up to the record they halted at, rewind
     * to it and schedule the retry. A partition the producer could not take records of for longer than
     * delivery.timeout.ms stops the mirror: the destination is as good as down.
     */
    private void rewindSettled(long now) {
        for (TopicPartition tp : new ArrayList<>(settling)) {
            if (!tracker.isSettled(tp)) {
                continue;
            }
            long haltedAt = tracker.firstFailedOffset(tp);
            commitSync(List.of(tp), COMMIT_TIMEOUT);
            tracker.restart(tp);
            Halt halt = halted.remove(tp);
            settling.remove(tp);
            if (haltedAt != Long.MAX_VALUE) {
                consumer.seek(tp, haltedAt);
                rewoundTo.put(tp, haltedAt);
            }
            if (halt.refusal()) {
                pauses.failed(tp, now);
                continue;
            }
            long since = Math.min(halt.sinceNanos(), retries.contains(tp) ? retries.failingSinceNanos(tp) : now);
            if (now - since > giveUpNanos) {
                failure.compareAndSet(null, new PartitionFailure(tp, new KafkaException("source partition " + tp
                        + ": the destination could not take its records for " + TimeUnit.NANOSECONDS.toSeconds(now - since)
                        + " s, longer than the producer's delivery.timeout.ms (" + TimeUnit.NANOSECONDS.toMillis(giveUpNanos)
                        + " ms): " + halt.cause() + "; nothing from offset " + haltedAt + " on is committed", halt.cause())));
                throwIfFailedNow();
            }
            retries.failed(tp, now);
        }
    }

    /** Partitions whose oldest records have waited long for the destination are LAGGING; OK again once acknowledged. */
    private void reportWaits(long now) {
        for (TopicPartition tp : tracker.partitions()) {
            if (pauses.contains(tp) || retries.contains(tp) || settling.contains(tp)) {
                continue;
            }
            long waited = tracker.oldestWaitNanos(tp, now);
            if (waited > LAGGING_AFTER_NANOS) {
                context.health().lagging(tp, new org.apache.kafka.common.errors.TimeoutException("no acknowledgement from the"
                        + " destination for " + TimeUnit.NANOSECONDS.toSeconds(waited) + " s"));
            } else if (context.health().state(tp) == io.kmirror.PartitionHealth.State.LAGGING) {
                context.health().ok(tp);
            }
        }
    }

    @Override
    public OptionalLong oldestUnacknowledgedTimestamp(TopicPartition partition) {
        return tracker.oldestUnacknowledgedTimestamp(partition);
    }

    @Override
    public void maybeCommit(boolean urgent) {
        long now = System.nanoTime();
        if (!urgent && now - lastCommitNanos < commitIntervalNanos) {
            return;
        }
        lastCommitNanos = now;
        Map<TopicPartition, OffsetAndMetadata> offsets = withMetadata(tracker.toCommit(consumer::position));
        if (offsets.isEmpty() || !mapWritten(offsets, MAP_WRITE_TIMEOUT)) {
            return;
        }
        // counted as committed only once the commit succeeded: a failed one is sent again at the next interval
        long started = System.nanoTime();
        consumer.commitAsync(offsets, (committed, exception) -> {
            if (exception == null) {
                context.counters().commitTook((System.nanoTime() - started) / 1_000_000);
                committed(offsets);
            } else if (Faults.isFatal(exception)) {
                commitRefused = exception instanceof KafkaException k ? k : new KafkaException(exception);
            } else {
                log.warn("Stream {}: committing offsets failed ({}); they are committed again at the next interval",
                        context.stream(), exception.toString());
            }
        });
    }

    /** Runs on this stream's thread (commit callbacks run inside the consumer's calls). */
    private void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        Set<TopicPartition> tracked = tracker.partitions();
        Map<TopicPartition, OffsetAndMetadata> stillOwned = new HashMap<>();
        offsets.forEach((tp, om) -> {
            if (tracked.contains(tp)) {
                stillOwned.put(tp, om);
                context.counters().committed(tp, om.offset());
                Long rewound = rewoundTo.get(tp);
                if (rewound != null && om.offset() > rewound) {
                    rewoundTo.remove(tp);
                    pauses.recovered(tp);
                    retries.recovered(tp);
                    context.health().ok(tp);
                }
            }
        });
        tracker.committed(stillOwned);
    }

    private Map<TopicPartition, OffsetAndMetadata> withMetadata(Map<TopicPartition, OffsetAndMetadata> offsets) {
        Map<TopicPartition, OffsetAndMetadata> withIds = new HashMap<>();
        offsets.forEach((tp, om) -> withIds.put(tp, OffsetMetadata.of(om.offset(), context.topicId(tp.topic()))));
        return withIds;
    }

    @Override
    public void revoked(Collection<TopicPartition> partitions) {
        if (closed) {
            return; // the consumer's close revokes what the delivery's close already handled
        }
        producer.flush();
        commitSync(partitions, COMMIT_TIMEOUT);
        forget(partitions);
    }

    @Override
    public void lost(Collection<TopicPartition> partitions) {
        forget(partitions);
    }

    private void forget(Collection<TopicPartition> partitions) {
        tracker.removed(partitions);
        if (offsetMap != null) {
            offsetMap.forget(partitions);
        }
        pauses.removed(partitions);
        retries.removed(partitions);
        partitions.forEach(tp -> {
            halted.remove(tp);
            settling.remove(tp);
            rewoundTo.remove(tp);
        });
    }

    @Override
    public void restartFromBeginning(Collection<TopicPartition> partitions) {
        forget(partitions);
        tracker.assigned(partitions);
        InitialPosition.fromBeginning(consumer, partitions);
    }

    @Override
    public void close(long deadlineNanos) {
        closed = true;
        try {
            awaitAcknowledgements(deadlineNanos);
            commitSync(consumer.assignment(), remaining(deadlineNanos));
        } finally {
            producer.close(remaining(deadlineNanos));
        }
    }

    /** Waits until every record in flight has an outcome, or the deadline passed (the rest is not committed). */
    private void awaitAcknowledgements(long deadlineNanos) {
        while (tracker.hasInFlight() && System.nanoTime() < deadlineNanos) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void abandon() {
        producer.close(Duration.ZERO);
    }

    private void commitSync(Collection<TopicPartition> partitions, Duration timeout) {
        Map<TopicPartition, OffsetAndMetadata> offsets = withMetadata(tracker.toCommit(partitions, consumer::position));
        if (offsets.isEmpty() || !mapWritten(offsets, timeout)) {
            return;
        }
        try {
            long started = System.nanoTime();
            consumer.commitSync(offsets, timeout);
            context.counters().commitTook((System.nanoTime() - started) / 1_000_000);
            committed(offsets);
        } catch (KafkaException e) {
            if (Faults.isFatal(e)) {
                throw e; // the stream fails, naming the source's refusal
            }
            log.warn("Stream {}: committing offsets of {} failed ({}); records after the last commit will be mirrored again",
                    context.stream(), offsets.keySet(), e.toString());
        }
    }

    /**
     * Writes the offset map up to {@code offsets} before they are committed, so the map never covers less than
     * the group committed: a position committed but not mapped would translate past records. A write that fails
     * holds the commit back (it is tried again at the next one).
     */
    private boolean mapWritten(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
        if (offsetMap == null) {
            return true;
        }
        try {
            OffsetMapRecorder.write(producer.producer(), offsetMap.toStore(offsets), Math.max(1, timeout.toMillis()));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (KafkaException e) {
            if (ClusterAccess.isDenied(e)) {
                throw context.destination().denial(e, ClusterAccess.producerNeeds(e, "topic " + OffsetMapTopic.TOPIC, null));
            }
            log.warn("Stream {}: writing the offset map failed ({}); the offsets of {} are committed at the next attempt",
                    context.stream(), e.toString(), offsets.keySet());
            return false;
        }
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }
}
