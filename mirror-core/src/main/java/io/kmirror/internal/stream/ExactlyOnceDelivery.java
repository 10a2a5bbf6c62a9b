package io.kmirror.internal.stream;

import io.kmirror.PartitionHealth;
import io.kmirror.Partitioning;
import io.kmirror.SendFailurePolicy;
import io.kmirror.internal.ClusterAccess;
import io.kmirror.internal.Faults;
import io.kmirror.internal.offsets.OffsetMetadata;
import io.kmirror.internal.offsetmap.OffsetMapRecorder;
import io.kmirror.internal.produce.DestinationRoute;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.annotation.Nullable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Exactly-once: each assigned source partition has its own transactional producer
 * ({@link PartitionTransaction}); its records and the source offset they reach are committed to the
 * destination in one transaction. A partition is <em>opened</em> before anything of it is fetched: its
 * producer fences the partition's previous owner ({@code initTransactions}), then the offset the
 * destination committed is read back and the consumer positioned there. So a record is visible to
 * {@code read_committed} readers exactly once whatever crashed or moved.
 *
 * <p>Failures: a partition whose open, send or commit fails is paused, its producer closed (its open
 * transaction is aborted by the next open), and it is opened again after a backoff, which positions it
 * at the destination's committed offset: nothing is committed from a position the mirror did not read
 * back. Only another producer with the same transactional id ({@code ProducerFencedException}) means
 * that another instance took the partition over. Authentication, authorization and unsupported-version
 * errors, a refused record under {@link SendFailurePolicy#FAIL}, and a partition that keeps failing for
 * longer than the producer's {@code delivery.timeout.ms} stop the mirror. Under
 * {@link SendFailurePolicy#PAUSE_PARTITION} a refused record pauses just its partition.
 *
 * <p>Where the offsets live: in the destination cluster's group {@link #offsetsGroup(String)}, as the
 * committed offset of the destination partition with the source partition's number (the value is a
 * source offset, its metadata the source topic's id). Group offsets, not a topic of kmirror's own,
 * because the broker commits them atomically with the records ({@code sendOffsetsToTransaction}) and
 * reads them back consistently ({@code requireStable}); the destination partition as the key because
 * Kafka 4 brokers accept committed offsets only for partitions that exist on their own cluster. So a
 * destination topic needs at least its source's partitions: kmirror creates and grows them so; one made
 * smaller by hand stops the mirror with a clear error.
 *
 * <p>Cost: one producer (one network thread, its own buffers) per assigned source partition, opened on
 * assignment and closed on revocation, or, when the stream's {@link ProducerHeapBudget} cannot hold them all,
 * opened and closed as the partitions take turns ({@link ProducerTurns}); a transaction commit per partition every commit interval (the
 * partitions spread over the interval), the partitions' commits run in parallel on up to {@value #MAX_WORKERS} threads per stream while the stream
 * polls on: records of a partition whose commit is running wait for it (a producer cannot send while it
 * commits) and are sent in its next transaction. Rebalances, stops and catch-up waits commit synchronously.
 * Each transaction also carries the partition's offset map record, after the records' acknowledgements. The source
 * group's offsets are committed too, after each destination commit, for lag tools only: the mirror never
 * resumes from them.
 */
public final class ExactlyOnceDelivery implements Delivery {

    private static final Logger log = LoggerFactory.getLogger(ExactlyOnceDelivery.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final long SLOW_COMMIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int MAX_WORKERS = 32;
    /** The periodic commits of a stream's partitions are spread over this many points of the commit interval. */
    private static final int COMMIT_PHASES = 8;

    private final StreamContext context;
    private final Consumer<byte[], byte[]> consumer;
    private final Function<String, Producer<byte[], byte[]>> producers;
    private final Partitioning partitioning;
    private final Admin destinationAdmin;
    private final String groupId;
    private final String sourceClusterId;
    private final ConsumerGroupMetadata group;
    private final long commitIntervalNanos;
    private final int maxTransactionRecords;
    private final long giveUpNanos;
    @Nullable
    private final OffsetMapRecorder offsetMap;
    private final Map<TopicPartition, PartitionTransaction> transactions = new ConcurrentHashMap<>();
    /** Opened and positioned: its records are fetched and sent. */
    private final Set<TopicPartition> ready = new HashSet<>();
    /**
     * Periodic commits running on the workers while the stream polls on: a transactional producer cannot send
     * while it commits, so the partition's newly polled records wait in {@link #held} and are sent once the
     * commit is done.
     */
    private final Map<TopicPartition, RunningCommit> running = new HashMap<>();
    private final Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> held = new HashMap<>();
    private final RetrySchedule retries = new RetrySchedule(TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.SECONDS.toNanos(5));
    private final RetrySchedule pauses = new RetrySchedule(TimeUnit.SECONDS.toNanos(1), TimeUnit.MINUTES.toNanos(1));
    /**
     * When each ready partition's next periodic commit is due. Partitions start at different points of the
     * interval, so that their commits do not all reach the transaction coordinator at once (each commit holds
     * back the partition's records until it is done, and a burst of them makes every one slower).
     */
    private final Map<TopicPartition, Long> commitDueNanos = new HashMap<>();
    private long lastCommitCheckNanos = System.nanoTime();
    private final ProducerTurns turns;
    private boolean closed;
    private volatile long stopDeadlineNanos = Long.MAX_VALUE;
    private ThreadPoolExecutor workers;

    /**
     * @param producers        makes a transactional producer for a {@code transactional.id}
     * @param destinationAdmin reads the group's committed offsets on the destination
     * @param sourceClusterId  part of every transactional id, so mirrors from different clusters never fence each other
     * @param giveUpAfter      how long a partition may keep failing before the mirror stops (delivery.timeout.ms)
     * @param offsetMap        records where the records went, written in each transaction; null for none
     * @param budget           how many producers the process may have open; partitions beyond it take turns
     * @param maxPollRecords   the consumer's {@code max.poll.records}
     */
    public ExactlyOnceDelivery(StreamContext context, Function<String, Producer<byte[], byte[]>> producers,
            Partitioning partitioning, Admin destinationAdmin, String groupId, String sourceClusterId,
            Duration commitInterval, int maxTransactionRecords, Duration giveUpAfter, @Nullable OffsetMapRecorder offsetMap,
            ProducerHeapBudget budget, int maxPollRecords) {
        this.context = context;
        this.consumer = context.consumer();
        this.producers = producers;
        this.partitioning = partitioning;
        this.destinationAdmin = destinationAdmin;
        this.groupId = groupId;
        this.sourceClusterId = sourceClusterId;
        this.group = new ConsumerGroupMetadata(offsetsGroup(groupId));
        this.commitIntervalNanos = commitInterval.toNanos();
        this.maxTransactionRecords = maxTransactionRecords;
        this.giveUpNanos = giveUpAfter.toNanos();
        this.offsetMap = offsetMap;
        this.turns = new ProducerTurns(budget, context.stream(), maxPollRecords);
    }

    /** A commit of a partition's transaction up to {@code position}, running on a worker since {@code startedNanos}. */
    private record RunningCommit(long position, CompletableFuture<Void> outcome, long startedNanos) {
    }

    /** The destination cluster's group that holds mirror group {@code groupId}'s exactly-once offsets. */
    public static String offsetsGroup(String groupId) {
        return "kmirror-offsets-" + groupId;
    }

    /**
     * The transactional id of a source partition's producer for mirror group {@code groupId} reading from
     * the cluster {@code sourceClusterId}: stable across restarts, different for every source cluster.
     */
    public static String transactionalId(String groupId, String sourceClusterId, TopicPartition tp) {
        return "kmirror-" + groupId + "-" + sourceClusterId + "-" + tp.topic() + "-" + tp.partition();
    }

    @Override
    public void assigned(Collection<TopicPartition> partitions) throws InterruptedException {
        if (partitions.isEmpty()) {
            return;
        }
        consumer.pause(partitions); // nothing is fetched before the partition is opened and positioned
        for (TopicPartition tp : partitions) {
            // a provisional position, never fetched from (paused) nor committed (not ready): without one, a poll
            // with auto.offset.reset=none fails for a partition that could not be opened yet
            consumer.seek(tp, 0);
            transactions.put(tp, new PartitionTransaction(tp, context.outbound().offsetKey(tp),
                    transactionalId(groupId, sourceClusterId, tp), producers, partitioning, context.counters(), offsetMap));
        }
        open(partitions);
    }

    /**
     * Opens the partitions' producers in parallel (each {@code initTransactions} is a few round trips to
     * the transaction coordinator and waits for a fenced owner's transaction to end), reads their committed
     * offsets back from the destination, positions and resumes them. A partition that cannot be opened
     * stays paused and is retried.
     */
    private void open(Collection<TopicPartition> partitions) throws InterruptedException {
        openAdmitted(turns.admit(partitions), false);
    }

    /** {@link #open} of partitions the budget has room for; {@code turn}: partitions taking their turn (logged at DEBUG). */
    private void openAdmitted(Collection<TopicPartition> partitions, boolean turn) throws InterruptedException {
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, CompletableFuture<Void>> opening = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            PartitionTransaction transaction = transactions.get(tp);
            if (transaction != null) {
                opening.put(tp, run(transaction::open));
            }
        }
        Map<TopicPartition, Throwable> failed = await(opening);
        List<PartitionTransaction> opened = new ArrayList<>();
        opening.keySet().forEach(tp -> {
            if (!failed.containsKey(tp)) {
                opened.add(transactions.get(tp));
            }
        });
        failed.forEach(this::failed);
        if (opened.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets;
        try {
            offsets = destinationOffsets(opened.stream().map(PartitionTransaction::offsetKey).toList());
        } catch (KafkaException e) {
            for (PartitionTransaction transaction : opened) {
                failed(transaction.source(), e);
            }
            return;
        }
        position(opened, offsets, turn);
    }

    private void position(List<PartitionTransaction> opened, Map<TopicPartition, OffsetAndMetadata> offsets, boolean turn) {
        List<TopicPartition> fresh = new ArrayList<>();
        List<TopicPartition> recreated = new ArrayList<>();
        List<TopicPartition> resumed = new ArrayList<>();
        for (PartitionTransaction transaction : opened) {
            TopicPartition tp = transaction.source();
            OffsetAndMetadata offset = offsets.get(transaction.offsetKey());
            if (offset == null) {
                fresh.add(tp);
            } else if (OffsetMetadata.isForAnotherTopic(offset, context.topicId(tp.topic()))) {
                recreated.add(tp);
            } else {
                consumer.seek(tp, offset.offset());
                transaction.committedOffset(offset.offset());
                resumed.add(tp);
            }
        }
        context.startPosition().apply(consumer, fresh);
        InitialPosition.fromBeginning(consumer, recreated);
        if (!fresh.isEmpty() && !context.startPosition().isEarliest()) {
            fresh.forEach(tp -> commitDueNanos.put(tp, System.nanoTime())); // commit the start at once: "latest" or a time would be elsewhere later
        }
        long now = System.nanoTime();
        for (PartitionTransaction transaction : opened) {
            consumer.position(transaction.source());
            ready.add(transaction.source());
            turns.opened(transaction.source(), now);
        }
        consumer.resume(opened.stream().map(PartitionTransaction::source).toList());
        log.atLevel(turn ? Level.DEBUG : Level.INFO).log("Stream {}: opened {} from the offsets committed on the destination{}{}",
                context.stream(), resumed, fresh.isEmpty() ? "" : "; from " + context.startPosition() + ": " + fresh,
                recreated.isEmpty() ? "" : "; recreated topics from the beginning: " + recreated);
    }

    @Override
    public boolean holds(TopicPartition partition) {
        if (transactions.containsKey(partition) && !ready.contains(partition)) {
            return true;
        }
        List<ConsumerRecord<byte[], byte[]>> waiting = held.get(partition);
        return waiting != null && waiting.size() >= maxTransactionRecords; // a slow commit: fetch no more meanwhile
    }

    private Map<TopicPartition, OffsetAndMetadata> destinationOffsets(Collection<TopicPartition> keys)
            throws InterruptedException {
        String offsetsGroup = offsetsGroup(groupId);
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = destinationAdmin.listConsumerGroupOffsets(
                    Map.of(offsetsGroup, new ListConsumerGroupOffsetsSpec().topicPartitions(keys)),
                    new ListConsumerGroupOffsetsOptions().requireStable(true))
                    .partitionsToOffsetAndMetadata(offsetsGroup).get(60, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> present = new HashMap<>();
            offsets.forEach((tp, om) -> {
                if (om != null) {
                    present.put(tp, om);
                }
            });
            return present;
        } catch (ExecutionException e) {
            throw new KafkaException("cannot read group " + offsetsGroup + "'s committed offsets on the destination: "
                    + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("reading group " + offsetsGroup + "'s committed offsets on the destination timed out", e);
        }
    }

    @Override
    public void send(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
        List<TopicPartition> partitions = new ArrayList<>(records.partitions());
        long now = System.nanoTime();
        turns.polled(records.count(), now);
        partitions.forEach(tp -> turns.polled(tp, now));
        int current = 0;
        boolean completed = false;
        try {
            for (; current < partitions.size(); current++) {
                TopicPartition tp = partitions.get(current);
                PartitionTransaction transaction = transactions.get(tp);
                if (running.containsKey(tp)) {
                    held.computeIfAbsent(tp, k -> new ArrayList<>()).addAll(records.records(tp));
                } else if (transaction != null && ready.contains(tp)) {
                    sendPartition(transaction, records.records(tp));
                }
            }
            completed = true;
        } finally {
            if (!completed) {
                abandonUnsent(records, partitions, current);
            }
        }
    }

    private void sendPartition(PartitionTransaction transaction, List<ConsumerRecord<byte[], byte[]>> records)
            throws InterruptedException {
        TopicPartition tp = transaction.source();
        if (transaction.failure() != null) {
            sendFailed(transaction);
            return;
        }
        DestinationRoute route = context.outbound().routeFor(tp);
        for (ConsumerRecord<byte[], byte[]> record : records) {
            ConsumerRecord<byte[], byte[]> transformed = context.outbound().transform(record);
            if (transformed == null) {
                continue;
            }
            try {
                route = context.outbound().checkSize(tp, transformed, route);
                transaction.send(transformed, route);
            } catch (KafkaException e) {
                failed(tp, Faults.isRecordRefusal(e) ? new KafkaException("the destination refused the record at offset "
                        + record.offset() + " of source partition " + tp + ": " + e, e) : e);
                return;
            }
        }
        if (transaction.records() >= maxTransactionRecords) {
            commitOrHandle(List.of(tp));
        }
    }

    /**
     * Something threw half-way through a poll (a transformer, a route that cannot be prepared) and the stream
     * stops: the partition it was at holds part of its records in its transaction, so it is closed without
     * a commit; the partitions after it are positioned back on their first record of this poll. So the final
     * commit covers exactly what was sent.
     */
    private void abandonUnsent(ConsumerRecords<byte[], byte[]> records, List<TopicPartition> partitions, int current) {
        for (int i = current; i < partitions.size(); i++) {
            TopicPartition tp = partitions.get(i);
            if (!ready.contains(tp)) {
                continue;
            }
            if (i == current) {
                transactions.get(tp).close(Duration.ZERO);
                turns.closed(tp);
                ready.remove(tp);
                consumer.pause(List.of(tp));
            } else {
                consumer.seek(tp, records.records(tp).get(0).offset());
            }
        }
    }

    @Override
    public void throwIfFailed() throws InterruptedException {
        completeFinishedCommits();
        for (PartitionTransaction transaction : new ArrayList<>(transactions.values())) {
            if (transaction.failure() != null && ready.contains(transaction.source())
                    && !running.containsKey(transaction.source())) {
                sendFailed(transaction);
            }
        }
        long now = System.nanoTime();
        List<TopicPartition> due = new ArrayList<>(retries.due(now));
        due.addAll(pauses.due(now));
        due.removeIf(tp -> !transactions.containsKey(tp));
        if (!due.isEmpty()) {
            log.info("Stream {}: opening {} again", context.stream(), due);
            open(due);
        }
    }

    private void sendFailed(PartitionTransaction transaction) {
        failed(transaction.source(), transaction.failure().exception());
    }

    /** What a send failure means, naming the record when the destination refused it. */
    private static Throwable describe(PartitionTransaction transaction, PartitionTransaction.SendFailure failure) {
        return Faults.isRecordRefusal(failure.exception())
                ? new KafkaException("the destination refused the record at offset " + failure.offset() + " of source partition "
                        + transaction.source() + ": " + failure.exception(), failure.exception())
                : failure.exception();
    }

    /**
     * Decides about a failure of {@code tp}'s producer: another instance took it over (drop it), the mirror
     * must stop (throw), or the partition is closed, paused and opened again later.
     */
    private void failed(TopicPartition tp, Throwable failure) {
        PartitionTransaction transaction = transactions.get(tp);
        if (transaction == null) {
            return;
        }
        // a failed send makes the following commit fail too; the send says what went wrong
        Throwable cause = transaction.failure() != null ? describe(transaction, transaction.failure()) : failure;
        if (Faults.isFence(cause)) {
            fenced(tp, cause);
            return;
        }
        long since = failingSince(tp);
        transaction.close(Duration.ZERO);
        turns.closed(tp);
        ready.remove(tp);
        held.remove(tp); // fetched again from the committed offset when the partition is opened again
        consumer.pause(List.of(tp));
        long now = System.nanoTime();
        if (ClusterAccess.isDenied(cause)) {
            throw stop(tp, context.destination().denial(cause, ClusterAccess.producerNeeds(cause,
                    "topic " + transaction.offsetKey().topic(), transaction.transactionalId())));
        }
        if (Faults.isFatal(cause) || Faults.isRecordRefusal(cause) && context.sendFailurePolicy() == SendFailurePolicy.FAIL) {
            throw stop(tp, new KafkaException("source partition " + tp + ": " + cause.getMessage() + "; its transaction is"
                    + " aborted, nothing after offset " + Math.max(0, transaction.committed()) + " is committed"
                    + (Faults.isRecordRefusal(cause) ? " (onSendFailure FAIL; PAUSE_PARTITION would pause just this partition)" : ""),
                    cause));
        }
        if (Faults.isRecordRefusal(cause)) {
            pauses.failed(tp, now);
            context.health().paused(tp, cause);
            return;
        }
        if (now - since > giveUpNanos) {
            throw stop(tp, new KafkaException("source partition " + tp + ": the destination kept failing for "
                    + TimeUnit.NANOSECONDS.toSeconds(now - since) + " s, longer than the producer's delivery.timeout.ms ("
                    + TimeUnit.NANOSECONDS.toMillis(giveUpNanos) + " ms): " + cause.getMessage(), cause));
        }
        retries.failed(tp, now);
        log.warn("Stream {}: source partition {} failed ({}); its transaction is aborted and it is opened again from the"
                + " offset committed on the destination", context.stream(), tp, cause.toString());
        context.health().lagging(tp, cause);
    }

    private long failingSince(TopicPartition tp) {
        return retries.contains(tp) ? retries.failingSinceNanos(tp) : System.nanoTime();
    }

    private KafkaException stop(TopicPartition tp, KafkaException failure) {
        context.health().failed(tp, failure);
        return failure;
    }

    @Override
    public OptionalLong oldestUnacknowledgedTimestamp(TopicPartition partition) {
        PartitionTransaction transaction = transactions.get(partition);
        OptionalLong inTransaction = transaction == null ? OptionalLong.empty() : transaction.oldestUncommittedTimestamp();
        List<ConsumerRecord<byte[], byte[]>> waiting = held.get(partition);
        if (inTransaction.isEmpty() && waiting != null && !waiting.isEmpty()) {
            return OptionalLong.of(waiting.get(0).timestamp());
        }
        return inTransaction;
    }

    @Override
    public void maybeCommit(boolean urgent) {
        long now = System.nanoTime();
        if (urgent) {
            lastCommitCheckNanos = now;
            finishRunningCommits(new ArrayList<>(running.keySet()), Long.MAX_VALUE);
            commitOrHandle(new ArrayList<>(ready));
            takeTurns(now);
            return;
        }
        if (now - lastCommitCheckNanos < commitIntervalNanos / COMMIT_PHASES) {
            return;
        }
        lastCommitCheckNanos = now;
        startCommits(now);
        takeTurns(now);
    }

    /**
     * While partitions wait for a producer ({@link ProducerTurns}): commits the open partitions whose turn is
     * over, closes their producers and pauses them, and opens the producers of those that waited longest.
     */
    private void takeTurns(long now) {
        if (!turns.anyWaiting()) {
            return;
        }
        List<TopicPartition> candidates = new ArrayList<>();
        for (TopicPartition tp : ready) {
            if (!running.containsKey(tp) && !held.containsKey(tp) && transactions.get(tp).failure() == null) {
                candidates.add(tp);
            }
        }
        List<TopicPartition> yielding = new ArrayList<>(turns.dueToYield(candidates, now, tp -> {
            OptionalLong lag = consumer.currentLag(tp);
            return lag.isPresent() && lag.getAsLong() == 0;
        }));
        if (!yielding.isEmpty()) {
            commit(yielding, now + CLOSE_TIMEOUT.toNanos()).forEach((tp, cause) -> {
                yielding.remove(tp);
                failed(tp, cause);
            });
            park(yielding);
        }
        try {
            openAdmitted(turns.next(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes the producers of committed {@code partitions} in parallel and pauses them until their next turn. */
    private void park(List<TopicPartition> partitions) {
        consumer.pause(partitions);
        Map<TopicPartition, CompletableFuture<Void>> closing = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            ready.remove(tp);
            commitDueNanos.remove(tp);
            PartitionTransaction transaction = transactions.get(tp);
            closing.put(tp, run(() -> transaction.close(CLOSE_TIMEOUT)));
        }
        await(closing, System.nanoTime() + CLOSE_TIMEOUT.toNanos()).forEach((tp, cause) -> log.debug(
                "Stream {}: the producer of {} did not close in time ({}); abandoned", context.stream(), tp, cause.toString()));
        partitions.forEach(turns::yielded);
    }

    /**
     * Starts the commit of every ready partition whose commit is due and whose position moved, on the workers,
     * without waiting for it. A partition seen for the first time is given a due time spread over the interval.
     */
    private void startCommits(long now) {
        commitDueNanos.keySet().retainAll(ready);
        for (TopicPartition tp : new ArrayList<>(ready)) {
            long due = commitDueNanos.computeIfAbsent(tp,
                    k -> now + Math.floorMod(k.hashCode(), COMMIT_PHASES) * (commitIntervalNanos / COMMIT_PHASES));
            if (now - due < 0) {
                continue;
            }
            commitDueNanos.put(tp, now + commitIntervalNanos);
            long position = duePosition(tp);
            if (position >= 0) {
                PartitionTransaction transaction = transactions.get(tp);
                CompletableFuture<Void> outcome = run(() -> transaction.commit(position, context.topicId(tp.topic()), group));
                running.put(tp, new RunningCommit(position, outcome, now));
            }
        }
    }

    /**
     * The position to commit {@code tp} at now, or -1: not ready, failed, nothing new, or committing already (a
     * partition with a commit running or records held is committed when that commit is handled).
     */
    private long duePosition(TopicPartition tp) {
        PartitionTransaction transaction = transactions.get(tp);
        if (transaction == null || !ready.contains(tp) || transaction.failure() != null || running.containsKey(tp)
                || held.containsKey(tp)) {
            return -1;
        }
        long position = consumer.position(tp);
        return transaction.inTransaction() || position > transaction.committed() ? position : -1;
    }

    /** A commit waited on for longer than {@value #SLOW_COMMIT_NANOS} ns makes its partition LAGGING meanwhile. */
    private void reportSlow(TopicPartition tp, long waitedNanos) {
        if (waitedNanos > SLOW_COMMIT_NANOS) {
            context.health().lagging(tp, new org.apache.kafka.common.errors.TimeoutException(
                    "the destination has not answered for " + TimeUnit.NANOSECONDS.toSeconds(waitedNanos) + " s"));
        }
    }

    /** Handles the running commits that are done: the committed partitions' held records are sent, failed ones handled. */
    private void completeFinishedCommits() throws InterruptedException {
        if (running.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> committed = new LinkedHashMap<>();
        Map<TopicPartition, Throwable> failures = new LinkedHashMap<>();
        long now = System.nanoTime();
        long slowestNanos = 0;
        for (Map.Entry<TopicPartition, RunningCommit> entry : new ArrayList<>(running.entrySet())) {
            RunningCommit commit = entry.getValue();
            if (!commit.outcome().isDone()) {
                reportSlow(entry.getKey(), now - commit.startedNanos());
                continue;
            }
            running.remove(entry.getKey());
            slowestNanos = Math.max(slowestNanos, now - commit.startedNanos());
            try {
                commit.outcome().get();
                committed.put(entry.getKey(), commit.position());
            } catch (ExecutionException e) {
                failures.put(entry.getKey(), e.getCause());
            }
        }
        if (!committed.isEmpty()) {
            context.counters().commitTook(TimeUnit.NANOSECONDS.toMillis(slowestNanos));
            committed(committed);
        }
        failures.forEach((tp, cause) -> {
            held.remove(tp);
            failed(tp, cause);
        });
        for (TopicPartition tp : committed.keySet()) {
            sendHeld(tp);
        }
    }

    /** Waits (until {@code deadlineNanos}) for the running commits of {@code partitions} and handles them. */
    private void finishRunningCommits(Collection<TopicPartition> partitions, long deadlineNanos) {
        Map<TopicPartition, CompletableFuture<Void>> waiting = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            RunningCommit commit = running.get(tp);
            if (commit != null) {
                waiting.put(tp, commit.outcome());
            }
        }
        if (waiting.isEmpty()) {
            return;
        }
        Map<TopicPartition, Throwable> timedOut = await(waiting, deadlineNanos);
        timedOut.forEach((tp, cause) -> {
            if (!waiting.get(tp).isDone()) {
                running.remove(tp); // abandoned, not committed again: the partition's producer is closed when released
                held.remove(tp);
                ready.remove(tp);
            }
        });
        try {
            completeFinishedCommits();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sendHeld(TopicPartition tp) throws InterruptedException {
        List<ConsumerRecord<byte[], byte[]>> records = held.remove(tp);
        PartitionTransaction transaction = transactions.get(tp);
        if (records != null && transaction != null && ready.contains(tp)) {
            sendPartition(transaction, records);
        }
    }

    private void commitOrHandle(Collection<TopicPartition> partitions) {
        commit(partitions, Long.MAX_VALUE).forEach(this::failed);
    }

    /**
     * Commits the transactions of {@code partitions} whose position moved, each up to the consumer's
     * position, in parallel; the outcome of each is handled here, on the stream thread.
     *
     * @return the partitions whose commit failed, with the cause
     */
    private Map<TopicPartition, Throwable> commit(Collection<TopicPartition> partitions, long deadlineNanos) {
        Map<TopicPartition, Long> due = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            long position = duePosition(tp);
            if (position >= 0) {
                due.put(tp, position);
            }
        }
        Map<TopicPartition, CompletableFuture<Void>> commits = new LinkedHashMap<>();
        long started = System.nanoTime();
        due.forEach((tp, position) -> {
            PartitionTransaction transaction = transactions.get(tp);
            commits.put(tp, run(() -> transaction.commit(position, context.topicId(tp.topic()), group)));
        });
        Map<TopicPartition, Throwable> failed = await(commits, deadlineNanos);
        Map<TopicPartition, Long> committed = new LinkedHashMap<>(due);
        committed.keySet().removeAll(failed.keySet());
        if (!committed.isEmpty()) {
            context.counters().commitTook((System.nanoTime() - started) / 1_000_000);
            committed(committed);
        }
        return failed;
    }

    /** Partitions whose transactions committed up to these positions: counted, healthy again, told to the source group. */
    private void committed(Map<TopicPartition, Long> positions) {
        Map<TopicPartition, OffsetAndMetadata> sourceOffsets = new HashMap<>();
        positions.forEach((tp, position) -> {
            context.counters().committed(tp, position);
            sourceOffsets.put(tp, OffsetMetadata.of(position, context.topicId(tp.topic())));
            if (retries.contains(tp) || context.health().state(tp) == PartitionHealth.State.LAGGING) {
                retries.recovered(tp);
                context.health().ok(tp);
            }
            if (pauses.contains(tp)) {
                pauses.recovered(tp);
                context.health().ok(tp);
            }
        });
        consumer.commitAsync(sourceOffsets, (offsets, e) -> {
            if (e != null) {
                log.debug("Stream {}: informational commit to the source group failed: {}", context.stream(), e.toString());
            }
        });
    }

    private CompletableFuture<Void> run(Runnable task) {
        return CompletableFuture.runAsync(task, workers());
    }

    private Map<TopicPartition, Throwable> await(Map<TopicPartition, CompletableFuture<Void>> tasks) {
        return await(tasks, Long.MAX_VALUE);
    }

    /**
     * Waits for each task until {@code deadlineNanos} or the stop deadline; a task that takes longer than
     * {@value #SLOW_COMMIT_NANOS} ns makes its partition LAGGING meanwhile.
     *
     * @return the tasks that failed or did not finish in time, with the cause
     */
    private Map<TopicPartition, Throwable> await(Map<TopicPartition, CompletableFuture<Void>> tasks, long deadlineNanos) {
        Map<TopicPartition, Throwable> failed = new LinkedHashMap<>();
        long started = System.nanoTime();
        for (Map.Entry<TopicPartition, CompletableFuture<Void>> task : tasks.entrySet()) {
            while (true) {
                long deadline = Math.min(deadlineNanos, stopDeadlineNanos);
                try {
                    task.getValue().get(Math.max(0, Math.min(deadline - System.nanoTime(), TimeUnit.SECONDS.toNanos(1))),
                            TimeUnit.NANOSECONDS);
                    break;
                } catch (ExecutionException e) {
                    failed.put(task.getKey(), e.getCause());
                    break;
                } catch (TimeoutException e) {
                    if (System.nanoTime() >= deadline) {
                        failed.put(task.getKey(), new org.apache.kafka.common.errors.TimeoutException(
                                "the destination did not answer before the mirror had to stop"));
                        break;
                    }
                    reportSlow(task.getKey(), System.nanoTime() - started);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failed.put(task.getKey(), e);
                    break;
                }
            }
        }
        return failed;
    }

    /** The threads that open, commit and close the partitions' transactions in parallel. */
    private ThreadPoolExecutor workers() {
        if (workers == null) {
            AtomicInteger count = new AtomicInteger();
            workers = new ThreadPoolExecutor(MAX_WORKERS, MAX_WORKERS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread thread = new Thread(r, "kmirror-" + groupId + "-stream-" + context.stream() + "-txn-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
            workers.allowCoreThreadTimeOut(true);
        }
        return workers;
    }

    /** Another instance owns {@code tp} now: drop its producer and stop fetching it until the group says otherwise. */
    private void fenced(TopicPartition tp, Throwable e) {
        PartitionTransaction transaction = transactions.remove(tp);
        if (transaction != null) {
            transaction.close(Duration.ZERO);
        }
        turns.removed(List.of(tp));
        ready.remove(tp);
        running.remove(tp);
        held.remove(tp);
        retries.removed(List.of(tp));
        pauses.removed(List.of(tp));
        consumer.pause(List.of(tp));
        log.warn("Stream {}: source partition {} was taken over by another mirror instance ({}); its uncommitted records"
                + " are discarded and the new owner mirrors them", context.stream(), tp, e.toString());
    }

    @Override
    public void revoked(Collection<TopicPartition> partitions) {
        if (closed) {
            return; // the consumer's close revokes what the delivery's close already handled
        }
        finishRunningCommits(partitions, System.nanoTime() + CLOSE_TIMEOUT.toNanos());
        commit(partitions, System.nanoTime() + CLOSE_TIMEOUT.toNanos()).forEach((tp, cause) -> log.warn(
                "Stream {}: committing source partition {} before it was revoked failed ({}); it is released uncommitted and"
                        + " its new owner resumes from the offset committed on the destination", context.stream(), tp, cause.toString()));
        release(partitions, System.nanoTime() + CLOSE_TIMEOUT.toNanos());
    }

    @Override
    public void lost(Collection<TopicPartition> partitions) {
        release(partitions, System.nanoTime() + CLOSE_TIMEOUT.toNanos());
    }

    @Override
    public void restartFromBeginning(Collection<TopicPartition> partitions) {
        finishRunningCommits(partitions, System.nanoTime() + CLOSE_TIMEOUT.toNanos());
        partitions.forEach(held::remove);
        for (TopicPartition tp : partitions) {
            PartitionTransaction transaction = transactions.get(tp);
            if (transaction != null) {
                transaction.close(Duration.ZERO);
                turns.closed(tp);
                ready.remove(tp);
            }
        }
        consumer.pause(partitions);
        if (offsetMap != null) {
            offsetMap.forget(partitions);
        }
        try {
            open(partitions);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes the partitions' producers in parallel, each aborting its open transaction if there is time. */
    private void release(Collection<TopicPartition> partitions, long deadlineNanos) {
        Map<TopicPartition, CompletableFuture<Void>> closing = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            PartitionTransaction transaction = transactions.remove(tp);
            ready.remove(tp);
            if (transaction != null && transaction.isOpen()) {
                Duration timeout = Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
                closing.put(tp, run(() -> transaction.close(timeout)));
            }
        }
        retries.removed(partitions);
        pauses.removed(partitions);
        partitions.forEach(tp -> {
            running.remove(tp);
            held.remove(tp);
        });
        turns.removed(partitions);
        if (offsetMap != null) {
            offsetMap.forget(partitions);
        }
        await(closing, deadlineNanos).forEach((tp, cause) -> log.debug(
                "Stream {}: the producer of {} did not close in time ({}); abandoned", context.stream(), tp, cause.toString()));
    }

    @Override
    public void abandon() {
        transactions.values().forEach(transaction -> transaction.close(Duration.ZERO));
    }

    @Override
    public void stopBy(long deadlineNanos) {
        stopDeadlineNanos = deadlineNanos;
    }

    @Override
    public void close(long deadlineNanos) {
        closed = true;
        try {
            finishRunningCommits(new ArrayList<>(running.keySet()), deadlineNanos);
            commit(new ArrayList<>(ready), deadlineNanos).forEach((tp, cause) -> log.warn(
                    "Stream {}: the final commit of source partition {} failed ({}); the next owner resumes from the offset"
                            + " committed on the destination", context.stream(), tp, cause.toString()));
        } finally {
            release(new ArrayList<>(transactions.keySet()), deadlineNanos);
            if (workers != null) {
                workers.shutdownNow();
            }
        }
    }
}
