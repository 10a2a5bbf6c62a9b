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
import java.util.LinkedHashSet;
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
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Exactly-once: each assigned source partition is written through the transactional producer of its slot
 * ({@link SlotProducer}: the partition's own, or with {@code transactionSlots} the one its
 * {@link TransactionSlots slot} shares with other partitions); the records and the source offsets they reach
 * are committed to the destination in one transaction. A partition is <em>opened</em> before anything of it
 * is fetched: its slot's producer fences the slot's previous owner ({@code initTransactions}, unless this
 * stream has it open already), then the offset the destination committed is read back and the consumer
 * positioned there. So a record is visible to {@code read_committed} readers exactly once whatever crashed
 * or moved. A slot's commit always covers every partition of it that has records in the transaction.
 *
 * <p>Failures: a slot whose open, send or commit fails has its producer closed (its open transaction is
 * aborted by the next open) and its partitions paused; they are opened again after a backoff, which
 * positions them at the destination's committed offsets: nothing is committed from a position the mirror
 * did not read back. Only another producer with the same transactional id ({@code ProducerFencedException}) means
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
 * <p>Cost: one producer (one network thread, its own buffers) per slot, opened on assignment and closed on
 * revocation, or, without slots, when the stream's {@link ProducerHeapBudget} cannot hold them all, opened and
 * closed as the partitions take turns ({@link ProducerTurns}); a transaction commit per slot every commit
 * interval (the slots spread over the interval), the slots' commits run in parallel on up to
 * {@value #MAX_WORKERS} threads per stream while the stream polls on: records of a slot whose commit is running
 * wait for it (a producer cannot send while it commits) and are sent in its next transaction. Rebalances, stops
 * and catch-up waits commit synchronously. Each transaction also carries its partitions' offset map records,
 * after the records' acknowledgements. The source group's offsets are committed too, once a second and before
 * partitions go, for lag tools only: the mirror never resumes from them.
 */
public final class ExactlyOnceDelivery implements Delivery {

    private static final Logger log = LoggerFactory.getLogger(ExactlyOnceDelivery.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final long SLOW_COMMIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int MAX_WORKERS = 32;
    /** What a held record costs beyond its key and value (the record object, its headers), roughly. */
    private static final int RECORD_OVERHEAD_BYTES = 100;
    /**
     * How often the source group is told the committed offsets (for lag tools only): telling it at every
     * transaction commit was an offset commit per slot every 100 ms, as many offset records on the source as
     * records mirrored at thousands of partitions.
     */
    private static final long TELL_SOURCE_GROUP_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The periodic commits of a stream's partitions are spread over this many points of the commit interval. */
    private static final int COMMIT_PHASES = 8;
    /**
     * How long a transaction may stay open while the mirror catches up (see {@link #catchingUp}), if that is longer
     * than the commit interval and at most a third of the producers' {@code transaction.timeout.ms}: what a
     * read_committed reader of records already this late hardly notices. Measured at 2,000 partitions, 4 slots (2
     * runs each): 1 s 0.75x the bare loop, 3 s 0.84x, 5 s 0.79x.
     */
    private static final long CATCH_UP_TRANSACTION_NANOS = TimeUnit.SECONDS.toNanos(3);
    /**
     * While catching up, a transaction is full at this many records per partition of its slot (or at
     * {@code maxTransactionRecords}, if that is more): a commit costs per partition (its offset, a marker, its
     * offset map record, and with Kafka 4's transactions adding it to the next one), so a transaction over 500
     * partitions needs more records than one over a few to be worth it.
     */
    private static final int CATCH_UP_RECORDS_PER_PARTITION = 64;
    private static final Duration END_OFFSETS_TIMEOUT = Duration.ofSeconds(5);

    private final StreamContext context;
    private final Consumer<byte[], byte[]> consumer;
    private final Function<String, Producer<byte[], byte[]>> producers;
    private final Partitioning partitioning;
    private final Admin destinationAdmin;
    private final String groupId;
    private final TransactionSlots slotIds;
    private final ConsumerGroupMetadata group;
    private final long commitIntervalNanos;
    private final int maxTransactionRecords;
    /**
     * How long a transaction may stay open while the mirror catches up: {@link #CATCH_UP_TRANSACTION_NANOS}, or a
     * third of {@code transaction.timeout.ms} if that is less. The destination's coordinator aborts a transaction
     * older than its timeout, and one held open past it was aborted at every catch-up, for good.
     */
    private final long catchUpHoldNanos;
    private final long giveUpNanos;
    @Nullable
    private final OffsetMapRecorder offsetMap;
    private final Map<TopicPartition, PartitionTransaction> transactions = new ConcurrentHashMap<>();
    /** The slots of the partitions in {@link #transactions}, by transactional id. */
    private final Map<String, SlotProducer> slots = new ConcurrentHashMap<>();
    /** Opened and positioned: its records are fetched and sent. */
    private final Set<TopicPartition> ready = new HashSet<>();
    /**
     * Periodic commits running on the workers while the stream polls on. New records go to the slot's other
     * producer; those of a partition with records still in flight in the committing one wait in {@link #held}
     * until these are acknowledged (see {@link #flushing}).
     */
    private final Map<SlotProducer, RunningCommit> running = new HashMap<>();
    private final Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> held = new HashMap<>();
    /**
     * About how many bytes of records {@link #held} holds, and the most it may: beyond it the stream waits for the
     * running commits instead of polling on (a slot's commit holds back the records of its partitions in flight, and
     * without a bound those filled a 256 MiB heap at 2,000 partitions).
     */
    private long heldBytes;
    private final long maxHeldBytes;
    private final RetrySchedule retries = new RetrySchedule(TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.SECONDS.toNanos(5));
    private final RetrySchedule pauses = new RetrySchedule(TimeUnit.SECONDS.toNanos(1), TimeUnit.MINUTES.toNanos(1));
    /**
     * When each slot's next periodic commit is due. Slots start at different points of the interval, so that
     * their commits do not all reach the transaction coordinator at once (each commit holds back the slot's
     * records until it is done, and a burst of them makes every one slower).
     */
    private final Map<SlotProducer, Long> commitDueNanos = new HashMap<>();
    /**
     * Slots to commit at the next round rather than at their phase of the interval: their transaction reached
     * {@code maxTransactionRecords}, or their partitions' start position is to be committed at once. A slot stays
     * here while a commit of it runs, and is committed again as soon as that one is done.
     */
    private final Set<SlotProducer> commitAtOnce = new HashSet<>();
    /** Slots whose open transaction grows while the mirror catches up: full at {@link #catchUpRecords}. */
    private final Set<SlotProducer> growing = new HashSet<>();
    /** Slots whose partitions' start position ("latest", a time) is to be committed at once, never kept open to grow. */
    private final Set<SlotProducer> startsToCommit = new HashSet<>();
    private long lastCommitCheckNanos = System.nanoTime();
    /** Committed offsets not yet told to the source group, and when it was last told. */
    private final Map<TopicPartition, OffsetAndMetadata> untoldSourceOffsets = new HashMap<>();
    private long lastToldNanos = System.nanoTime();
    private final ProducerTurns turns;
    private boolean closed;
    private volatile long stopDeadlineNanos = Long.MAX_VALUE;
    private ThreadPoolExecutor workers;

    /**
     * @param producers        makes a transactional producer for a {@code transactional.id}
     * @param destinationAdmin reads the group's committed offsets on the destination
     * @param slotIds          which transactional id writes a partition
     * @param transactionTimeout the producers' {@code transaction.timeout.ms}: no transaction is held open that long
     * @param giveUpAfter      how long a partition may keep failing before the mirror stops (delivery.timeout.ms)
     * @param offsetMap        records where the records went, written in each transaction; null for none
     * @param budget           how many producers the process may have open; partitions beyond it take turns
     * @param maxPollRecords   the consumer's {@code max.poll.records}
     * @param maxHeldBytes     the most bytes of records held back while their slots commit (the consumer's {@code fetch.max.bytes})
     */
    public ExactlyOnceDelivery(StreamContext context, Function<String, Producer<byte[], byte[]>> producers,
            Partitioning partitioning, Admin destinationAdmin, String groupId, TransactionSlots slotIds,
            Duration commitInterval, int maxTransactionRecords, Duration transactionTimeout, Duration giveUpAfter,
            @Nullable OffsetMapRecorder offsetMap,
            ProducerHeapBudget budget, int maxPollRecords, long maxHeldBytes) {
        this.context = context;
        this.consumer = context.consumer();
        this.producers = producers;
        this.partitioning = partitioning;
        this.destinationAdmin = destinationAdmin;
        this.groupId = groupId;
        this.slotIds = slotIds;
        this.group = new ConsumerGroupMetadata(offsetsGroup(groupId));
        this.commitIntervalNanos = commitInterval.toNanos();
        this.maxTransactionRecords = maxTransactionRecords;
        this.catchUpHoldNanos = Math.min(CATCH_UP_TRANSACTION_NANOS, transactionTimeout.toNanos() / 3);
        this.giveUpNanos = giveUpAfter.toNanos();
        this.offsetMap = offsetMap;
        this.turns = new ProducerTurns(budget, context.stream(), maxPollRecords);
        this.maxHeldBytes = maxHeldBytes;
    }

    /**
     * A commit of a slot's transaction up to {@code positions}, running on a worker since {@code startedNanos};
     * {@code draining}: the slot's partitions that had records in flight when it started, whose new records wait
     * until those are acknowledged (used from the stream's thread only).
     */
    private record RunningCommit(Map<TopicPartition, Long> positions, Set<TopicPartition> draining,
            CompletableFuture<Void> outcome, long startedNanos) {
    }

    /** The destination cluster's group that holds mirror group {@code groupId}'s exactly-once offsets. */
    public static String offsetsGroup(String groupId) {
        return "kmirror-offsets-" + groupId;
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
            SlotProducer slot = slots.computeIfAbsent(slotIds.transactionalId(tp),
                    id -> new SlotProducer(id, producers, partitioning, context.counters(), offsetMap));
            slot.partitions().add(tp);
            transactions.put(tp, new PartitionTransaction(tp, context.outbound().offsetKey(tp), slot));
        }
        open(partitions);
    }

    /**
     * Opens the partitions' slots in parallel (each {@code initTransactions} is a few round trips to the
     * transaction coordinator and waits for a fenced owner's transaction to end; a slot open already is
     * joined), reads their committed offsets back from the destination, positions and resumes them. A
     * partition that cannot be opened stays paused and is retried.
     */
    private void open(Collection<TopicPartition> partitions) throws InterruptedException {
        openAdmitted(turns.admit(partitions), false);
    }

    /** {@link #open} of partitions the budget has room for; {@code turn}: partitions taking their turn (logged at DEBUG). */
    private void openAdmitted(Collection<TopicPartition> partitions, boolean turn) throws InterruptedException {
        if (partitions.isEmpty()) {
            return;
        }
        Map<SlotProducer, CompletableFuture<Void>> opening = new LinkedHashMap<>();
        List<PartitionTransaction> joining = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            PartitionTransaction transaction = transactions.get(tp);
            if (transaction != null) {
                joining.add(transaction);
                SlotProducer slot = transaction.slot();
                if (!slot.isOpen() && !opening.containsKey(slot)) {
                    opening.put(slot, run(slot::open));
                }
            }
        }
        Map<SlotProducer, Throwable> failed = await(opening, Long.MAX_VALUE);
        List<PartitionTransaction> opened = new ArrayList<>();
        for (PartitionTransaction transaction : joining) {
            if (!failed.containsKey(transaction.slot())) {
                opened.add(transaction);
            }
        }
        failed.forEach(this::slotFailed);
        if (opened.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets;
        try {
            offsets = destinationOffsets(opened.stream().map(PartitionTransaction::offsetKey).toList());
        } catch (KafkaException e) {
            slotsOf(opened.stream().map(PartitionTransaction::source).toList()).forEach(slot -> slotFailed(slot, e));
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
            // commit the start at once: "latest" or a time would be elsewhere later
            fresh.forEach(tp -> {
                SlotProducer slot = transactions.get(tp).slot();
                commitAtOnce.add(slot);
                startsToCommit.add(slot);
            });
        }
        long now = System.nanoTime();
        for (PartitionTransaction transaction : opened) {
            consumer.position(transaction.source());
            ready.add(transaction.source());
            turns.opened(transaction.source(), now);
        }
        consumer.resume(opened.stream().map(PartitionTransaction::source).toList());
        if (!turn) {
            readEndOffsets(opened.stream().map(PartitionTransaction::source).toList());
        }
        log.atLevel(turn ? Level.DEBUG : Level.INFO).log("Stream {}: opened {} from the offsets committed on the destination{}{}",
                context.stream(), resumed, fresh.isEmpty() ? "" : "; from " + context.startPosition() + ": " + fresh,
                recreated.isEmpty() ? "" : "; recreated topics from the beginning: " + recreated);
    }

    /**
     * Reads the end offsets of {@code partitions} from the source in one request, so that the consumer knows their
     * lag at once: otherwise it learns a partition's only when it drains a fetch of it, and after an outage at
     * thousands of partitions most of them waited seconds in the fetched data, their backlog unseen by
     * {@link #catchingUp} (which then committed at every interval while the mirror was furthest behind). Measured
     * at 2,000 partitions, 4 slots, 3 runs each: 0.79x the bare loop (0.92x once flowing, 1.20x its CPU per record)
     * against 0.56x (0.72x, 1.46x) without. Not for a partition taking its turn: its lag is known from before.
     */
    private void readEndOffsets(List<TopicPartition> partitions) {
        try {
            consumer.endOffsets(partitions, END_OFFSETS_TIMEOUT);
        } catch (KafkaException e) {
            log.debug("Stream {}: reading the end offsets of {} partitions failed ({}); their lag is known after their first"
                    + " fetch", context.stream(), partitions.size(), e.toString());
        }
    }

    @Override
    public boolean holds(TopicPartition partition) {
        if (transactions.containsKey(partition) && !ready.contains(partition)) {
            return true;
        }
        List<ConsumerRecord<byte[], byte[]>> waiting = held.get(partition);
        return waiting != null && waiting.size() >= maxTransactionRecords; // a slow commit: fetch no more meanwhile
    }

    /** The partitions of this stream written through {@code slot}. */
    private static List<TopicPartition> members(SlotProducer slot) {
        return new ArrayList<>(slot.partitions());
    }

    /** The slots of those of {@code partitions} that are this stream's. */
    private Set<SlotProducer> slotsOf(Collection<TopicPartition> partitions) {
        Set<SlotProducer> of = new LinkedHashSet<>();
        for (TopicPartition tp : partitions) {
            PartitionTransaction transaction = transactions.get(tp);
            if (transaction != null) {
                of.add(transaction.slot());
            }
        }
        return of;
    }

    /** Whether {@code tp}'s slot is committing on a worker. */
    private boolean committing(TopicPartition tp) {
        PartitionTransaction transaction = transactions.get(tp);
        return transaction != null && running.containsKey(transaction.slot());
    }

    /**
     * Whether {@code tp}'s slot is committing and records of {@code tp} it sent before are not acknowledged yet: its
     * new records, which go to the slot's other producer, must wait for them.
     */
    private boolean flushing(TopicPartition tp) {
        PartitionTransaction transaction = transactions.get(tp);
        RunningCommit commit = transaction == null ? null : running.get(transaction.slot());
        if (commit == null || !commit.draining().contains(tp)) {
            return false;
        }
        if (transaction.slot().hasUnacknowledged(tp)) {
            return true;
        }
        commit.draining().remove(tp); // from now on its records in flight are the other producer's
        return false;
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
        sendReleasedHeld();
        int current = 0;
        boolean completed = false;
        try {
            for (; current < partitions.size(); current++) {
                TopicPartition tp = partitions.get(current);
                PartitionTransaction transaction = transactions.get(tp);
                if (flushing(tp) || held.containsKey(tp)) { // behind held records, never ahead of them
                    List<ConsumerRecord<byte[], byte[]>> polled = records.records(tp);
                    polled.forEach(ExactlyOnceDelivery::detachHeaders);
                    held.computeIfAbsent(tp, k -> new ArrayList<>()).addAll(polled);
                    heldBytes += bytes(polled);
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
        if (heldBytes > maxHeldBytes) {
            finishRunningCommits(new ArrayList<>(running.keySet()), Long.MAX_VALUE);
        }
    }

    /**
     * Copies the record's headers out of the fetch response they were read from: until a header's key and
     * value are first asked for, they are views of that response's buffer, so one held record kept a whole
     * response (up to {@code fetch.max.bytes}) alive; at 2,000 partitions such responses filled 70-100 MiB of
     * a 256 MiB heap, and the collector ran most of the time.
     */
    private static void detachHeaders(ConsumerRecord<byte[], byte[]> record) {
        for (Header header : record.headers()) {
            header.key();
            header.value();
        }
    }

    private static long bytes(List<ConsumerRecord<byte[], byte[]>> records) {
        long bytes = 0;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            bytes += RECORD_OVERHEAD_BYTES + Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
        }
        return bytes;
    }

    /** Drops the records held for {@code tp}, returning them (null if none). */
    @Nullable
    private List<ConsumerRecord<byte[], byte[]>> unhold(TopicPartition tp) {
        List<ConsumerRecord<byte[], byte[]>> records = held.remove(tp);
        if (records != null) {
            heldBytes -= bytes(records);
        }
        return records;
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
        SlotProducer slot = transaction.slot();
        if (slot.records() >= (growing.contains(slot) ? catchUpRecords(slot) : maxTransactionRecords)) {
            // due now, started by the next maybeCommit on a worker: a stream that waited for it here stood still
            // for whole commits (seconds for a slot of hundreds of partitions on a busy broker)
            commitAtOnce.add(slot);
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
                SlotProducer slot = transactions.get(tp).slot();
                slot.close(Duration.ZERO);
                for (TopicPartition member : members(slot)) {
                    transactions.get(member).discarded();
                    turns.closed(member);
                    ready.remove(member);
                    consumer.pause(List.of(member));
                }
            } else {
                consumer.seek(tp, records.records(tp).get(0).offset());
            }
        }
    }

    @Override
    public void throwIfFailed() throws InterruptedException {
        completeFinishedCommits();
        for (PartitionTransaction transaction : new ArrayList<>(transactions.values())) {
            if (transaction.failure() != null && ready.contains(transaction.source()) && !committing(transaction.source())) {
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
    private static Throwable describe(SlotProducer.SendFailure failure) {
        return Faults.isRecordRefusal(failure.exception())
                ? new KafkaException("the destination refused the record at offset " + failure.offset() + " of source partition "
                        + failure.source() + ": " + failure.exception(), failure.exception())
                : failure.exception();
    }

    /**
     * Decides about a failure of {@code tp}'s slot: another instance took it over (drop its partitions), the
     * mirror must stop (throw), or the slot's producer is closed and its partitions paused and opened again
     * later. The partition a failed send was of is the one the failure is about (under PAUSE_PARTITION a refused
     * record pauses just it); the slot's other partitions lose their uncommitted records with the transaction
     * and are opened again after the short backoff.
     */
    private void failed(TopicPartition tp, Throwable failure) {
        PartitionTransaction transaction = transactions.get(tp);
        if (transaction == null) {
            return;
        }
        SlotProducer slot = transaction.slot();
        // a failed send makes the following commit fail too; the send says what went wrong
        SlotProducer.SendFailure sendFailure = slot.failure();
        Throwable cause = sendFailure != null ? describe(sendFailure) : failure;
        TopicPartition culprit = sendFailure != null && transactions.containsKey(sendFailure.source()) ? sendFailure.source() : tp;
        List<TopicPartition> members = members(slot);
        if (Faults.isFence(cause)) {
            fenced(slot, members, cause);
            return;
        }
        Map<TopicPartition, Long> since = new HashMap<>();
        members.forEach(member -> since.put(member, failingSince(member)));
        slot.close(Duration.ZERO);
        running.remove(slot);
        for (TopicPartition member : members) {
            transactions.get(member).discarded();
            turns.closed(member);
            ready.remove(member);
            unhold(member); // fetched again from the committed offset when the partition is opened again
        }
        consumer.pause(members);
        long now = System.nanoTime();
        if (ClusterAccess.isDenied(cause)) {
            throw stop(culprit, context.destination().denial(cause, ClusterAccess.producerNeeds(cause,
                    "topic " + transactions.get(culprit).offsetKey().topic(), slot.transactionalId())));
        }
        boolean refusal = Faults.isRecordRefusal(cause);
        if (Faults.isFatal(cause) || refusal && context.sendFailurePolicy() == SendFailurePolicy.FAIL) {
            throw stop(culprit, new KafkaException("source partition " + culprit + ": " + cause.getMessage() + "; its transaction is"
                    + " aborted, nothing after offset " + Math.max(0, transactions.get(culprit).committed()) + " is committed"
                    + (refusal ? " (onSendFailure FAIL; PAUSE_PARTITION would pause just this partition)" : ""), cause));
        }
        List<TopicPartition> retried = new ArrayList<>();
        for (TopicPartition member : members) {
            if (refusal && member.equals(culprit)) {
                pauses.failed(member, now);
                context.health().paused(member, cause);
                continue;
            }
            if (now - since.get(member) > giveUpNanos) {
                throw stop(member, new KafkaException("source partition " + member + ": the destination kept failing for "
                        + TimeUnit.NANOSECONDS.toSeconds(now - since.get(member)) + " s, longer than the producer's"
                        + " delivery.timeout.ms (" + TimeUnit.NANOSECONDS.toMillis(giveUpNanos) + " ms): " + cause.getMessage(), cause));
            }
            retries.failed(member, now);
            context.health().lagging(member, cause);
            retried.add(member);
        }
        if (!retried.isEmpty()) {
            log.warn("Stream {}: source partition{} {} failed ({}); {} transaction is aborted and {} opened again from the offset{}"
                    + " committed on the destination", context.stream(), retried.size() == 1 ? "" : "s", retried.size() == 1
                    ? retried.get(0) : retried, cause.toString(), retried.size() == 1 ? "its" : "their", retried.size() == 1 ? "it is"
                    : "they are", retried.size() == 1 ? "" : "s");
        }
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
            tellSourceGroup(true);
            takeTurns(now);
            return;
        }
        if (commitAtOnce.isEmpty() && now - lastCommitCheckNanos < commitIntervalNanos / COMMIT_PHASES) {
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
            if (!committing(tp) && !held.containsKey(tp) && transactions.get(tp).failure() == null) {
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

    /**
     * Closes the producers of committed {@code partitions} in parallel and pauses them until their next turn
     * (turns are taken only without slots, so each partition's producer is its own).
     */
    private void park(List<TopicPartition> partitions) {
        consumer.pause(partitions);
        Map<SlotProducer, CompletableFuture<Void>> closing = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            ready.remove(tp);
            SlotProducer slot = transactions.get(tp).slot();
            forgetCommitState(slot);
            closing.put(slot, run(() -> slot.close(CLOSE_TIMEOUT)));
        }
        await(closing, System.nanoTime() + CLOSE_TIMEOUT.toNanos()).forEach((slot, cause) -> log.debug(
                "Stream {}: the producer {} did not close in time ({}); abandoned", context.stream(), slot.transactionalId(),
                cause.toString()));
        partitions.forEach(turns::yielded);
    }

    /**
     * Starts the commit of every slot whose commit is due and whose partitions' positions moved, on the workers,
     * without waiting for it. A slot seen for the first time is given a due time spread over the interval.
     */
    private void startCommits(long now) {
        Set<SlotProducer> readySlots = new HashSet<>();
        ready.forEach(tp -> readySlots.add(transactions.get(tp).slot()));
        commitDueNanos.keySet().retainAll(readySlots);
        commitAtOnce.retainAll(readySlots);
        growing.retainAll(readySlots);
        startsToCommit.retainAll(readySlots);
        for (SlotProducer slot : readySlots) {
            long due = commitDueNanos.computeIfAbsent(slot,
                    k -> now + Math.floorMod(k.transactionalId().hashCode(), COMMIT_PHASES) * (commitIntervalNanos / COMMIT_PHASES));
            boolean atOnce = commitAtOnce.contains(slot);
            if (!atOnce && now - due < 0) {
                continue;
            }
            if (atOnce && running.containsKey(slot)) {
                continue; // committed again once the running commit is done
            }
            // the transaction began when the last commit started, one interval before it was due
            if (now - due < catchUpHoldNanos - commitIntervalNanos && !startsToCommit.contains(slot) && catchingUp(slot)) {
                growing.add(slot);
                commitAtOnce.remove(slot);
                continue;
            }
            forgetCommitState(slot);
            commitDueNanos.put(slot, now + commitIntervalNanos);
            Map<TopicPartition, Long> positions = duePositions(slot);
            if (positions != null) {
                commitStarted(positions);
                Set<TopicPartition> draining = slot.startCommit();
                running.put(slot, new RunningCommit(positions, draining, run(() -> commitSlot(slot, positions)), now));
            }
        }
    }

    /** {@code slot}'s commit starts, or it is gone: no longer due at once, growing, or to commit a start position. */
    private void forgetCommitState(SlotProducer slot) {
        commitDueNanos.remove(slot);
        commitAtOnce.remove(slot);
        growing.remove(slot);
        startsToCommit.remove(slot);
    }

    /**
     * Whether the records waiting at the source for {@code slot}'s partitions would fill its transaction to
     * {@link #catchUpRecords}: the mirror is a whole transaction behind. Committing at every interval would
     * then cost a commit (a flush, the offsets, a marker in every partition it touched) every few records of each
     * partition; at 2,000 partitions the mirror drained a backlog at 0.58x the bare loop's rate that way, and at
     * 0.64-0.70x keeping the transaction open until it is full or {@link #catchUpHoldNanos} passed. A mirror
     * that keeps up commits at every interval. (Comparing the backlog with the records the transaction took so far
     * instead, a steady 20,000 records/s passed for a backlog now and then: p99 131 ms in one run of three.) The
     * records of a partition that stays paused (its topic paused by the host, or itself after a refused record) are
     * no backlog to catch up on: counted, they held the other partitions' records back for seconds at every commit.
     */
    private boolean catchingUp(SlotProducer slot) {
        int records = slot.records();
        long full = catchUpRecords(slot);
        if (records == 0 || records >= full) {
            return false;
        }
        long missing = full - records;
        long waiting = 0;
        for (TopicPartition tp : slot.partitions()) {
            // a backlog spread over many partitions is mostly in those the transaction has not reached yet
            if (ready.contains(tp) && !context.pausedByHost(tp.topic()) && !pauses.contains(tp)) {
                waiting += consumer.currentLag(tp).orElse(0);
                if (waiting >= missing) {
                    return true;
                }
            }
        }
        return false;
    }

    /** How many records make a transaction of {@code slot} full while the mirror catches up. */
    private long catchUpRecords(SlotProducer slot) {
        return Math.max(maxTransactionRecords, (long) CATCH_UP_RECORDS_PER_PARTITION * slot.partitions().size());
    }

    /**
     * The positions to commit {@code slot}'s ready partitions at now (those that moved, have records in the
     * transaction or recover from a failure), or null when there is nothing to commit: nothing new, or the slot failed, or it is
     * committing already (a slot with a commit running or records held is committed when that commit is handled).
     */
    @Nullable
    private Map<TopicPartition, Long> duePositions(SlotProducer slot) {
        if (running.containsKey(slot) || slot.failure() != null || !slot.isOpen()) {
            return null;
        }
        Map<TopicPartition, Long> positions = new LinkedHashMap<>();
        for (TopicPartition tp : members(slot)) {
            if (held.containsKey(tp)) {
                return null;
            }
            if (!ready.contains(tp)) {
                continue;
            }
            PartitionTransaction transaction = transactions.get(tp);
            long position = consumer.position(tp);
            // a partition opened again after its slot failed commits even if it did not move: that commit makes it OK again
            if (transaction.hasRecords() || position > transaction.committed() || retries.contains(tp)
                    || context.health().state(tp) == PartitionHealth.State.LAGGING) {
                positions.put(tp, position);
            }
        }
        return positions.isEmpty() && !slot.inTransaction() ? null : positions;
    }

    /** The partitions' records sent so far are in the commit starting now; records sent from now on are not. */
    private void commitStarted(Map<TopicPartition, Long> positions) {
        positions.keySet().forEach(tp -> transactions.get(tp).commitStarted());
    }

    /** Commits the transaction {@code slot} started committing with its partitions at {@code positions} (on a worker). */
    private void commitSlot(SlotProducer slot, Map<TopicPartition, Long> positions) {
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        Map<TopicPartition, TopicPartition> offsetKeys = new HashMap<>();
        positions.forEach((tp, position) -> {
            next.put(tp, OffsetMetadata.of(position, context.topicId(tp.topic())));
            offsetKeys.put(tp, transactions.get(tp).offsetKey());
        });
        slot.commit(next, offsetKeys, group);
    }

    /** A commit waited on for longer than {@value #SLOW_COMMIT_NANOS} ns makes its partitions LAGGING meanwhile. */
    private void reportSlow(SlotProducer slot, long waitedNanos) {
        if (waitedNanos > SLOW_COMMIT_NANOS) {
            for (TopicPartition tp : members(slot)) {
                context.health().lagging(tp, new org.apache.kafka.common.errors.TimeoutException(
                        "the destination has not answered for " + TimeUnit.NANOSECONDS.toSeconds(waitedNanos) + " s"));
            }
        }
    }

    /** Handles the running commits that are done: the committed partitions' held records are sent, failed slots handled. */
    private void completeFinishedCommits() throws InterruptedException {
        if (running.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> committed = new LinkedHashMap<>();
        Map<SlotProducer, Throwable> failures = new LinkedHashMap<>();
        long now = System.nanoTime();
        for (Map.Entry<SlotProducer, RunningCommit> entry : new ArrayList<>(running.entrySet())) {
            RunningCommit commit = entry.getValue();
            if (!commit.outcome().isDone()) {
                reportSlow(entry.getKey(), now - commit.startedNanos());
                continue;
            }
            running.remove(entry.getKey());
            try {
                commit.outcome().get();
                context.counters().commitTook(TimeUnit.NANOSECONDS.toMillis(now - commit.startedNanos()));
                committed.putAll(commit.positions());
            } catch (ExecutionException e) {
                failures.put(entry.getKey(), e.getCause());
            }
        }
        if (!committed.isEmpty()) {
            committed(committed);
        }
        failures.forEach(this::slotFailed);
        sendReleasedHeld();
    }

    /** Sends the records held for partitions no longer waiting for their records in a committing producer. */
    private void sendReleasedHeld() throws InterruptedException {
        for (TopicPartition tp : new ArrayList<>(held.keySet())) {
            if (!flushing(tp)) {
                sendHeld(tp);
            }
        }
    }

    /** {@code slot}'s open or commit failed with {@code cause}. */
    private void slotFailed(SlotProducer slot, Throwable cause) {
        List<TopicPartition> members = members(slot);
        members.forEach(this::unhold);
        if (!members.isEmpty()) {
            failed(members.get(0), cause);
        }
    }

    /** Waits (until {@code deadlineNanos}) for the running commits of these slots and handles them. */
    private void finishRunningCommits(Collection<SlotProducer> slotsToFinish, long deadlineNanos) {
        Map<SlotProducer, CompletableFuture<Void>> waiting = new LinkedHashMap<>();
        for (SlotProducer slot : slotsToFinish) {
            RunningCommit commit = running.get(slot);
            if (commit != null) {
                waiting.put(slot, commit.outcome());
            }
        }
        if (waiting.isEmpty()) {
            return;
        }
        Map<SlotProducer, Throwable> timedOut = await(waiting, deadlineNanos);
        timedOut.forEach((slot, cause) -> {
            if (!waiting.get(slot).isDone()) {
                running.remove(slot); // abandoned, not committed again: the slot's producer is closed when released
                for (TopicPartition tp : members(slot)) {
                    unhold(tp);
                    ready.remove(tp);
                }
            }
        });
        try {
            completeFinishedCommits();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sendHeld(TopicPartition tp) throws InterruptedException {
        List<ConsumerRecord<byte[], byte[]>> records = unhold(tp);
        PartitionTransaction transaction = transactions.get(tp);
        if (records != null && transaction != null && ready.contains(tp)) {
            sendPartition(transaction, records);
        }
    }

    private void commitOrHandle(Collection<TopicPartition> partitions) {
        commit(partitions, Long.MAX_VALUE).forEach(this::failed);
    }

    /**
     * Commits the transactions of the slots of {@code partitions} whose positions moved, each partition up to
     * the consumer's position, in parallel; the outcome of each is handled here, on the stream thread.
     *
     * @return a partition of each slot whose commit failed, with the cause
     */
    private Map<TopicPartition, Throwable> commit(Collection<TopicPartition> partitions, long deadlineNanos) {
        Map<SlotProducer, Map<TopicPartition, Long>> due = new LinkedHashMap<>();
        for (SlotProducer slot : slotsOf(partitions)) {
            // once per slot: a slot with nothing to commit was looked at again for each of its partitions, every
            // round that someone waited in awaitCaughtUp (500 x 500 positions a round at 2,000 partitions, 4 slots)
            Map<TopicPartition, Long> positions = duePositions(slot);
            if (positions != null) {
                commitStarted(positions);
                growing.remove(slot);
                startsToCommit.remove(slot);
                due.put(slot, positions);
            }
        }
        Map<SlotProducer, CompletableFuture<Void>> commits = new LinkedHashMap<>();
        long started = System.nanoTime();
        due.forEach((slot, positions) -> {
            slot.startCommit();
            commits.put(slot, run(() -> commitSlot(slot, positions)));
        });
        Map<SlotProducer, Throwable> failedSlots = await(commits, deadlineNanos);
        Map<TopicPartition, Long> committed = new LinkedHashMap<>();
        Map<TopicPartition, Throwable> failed = new LinkedHashMap<>();
        due.forEach((slot, positions) -> {
            Throwable cause = failedSlots.get(slot);
            if (cause == null) {
                context.counters().commitTook((System.nanoTime() - started) / 1_000_000);
                committed.putAll(positions);
            } else {
                members(slot).stream().findFirst().ifPresent(tp -> failed.put(tp, cause));
            }
        });
        if (!committed.isEmpty()) {
            committed(committed);
        }
        return failed;
    }

    /** Partitions whose transactions committed up to these positions: counted, healthy again, told to the source group soon. */
    private void committed(Map<TopicPartition, Long> positions) {
        positions.forEach((tp, position) -> {
            PartitionTransaction transaction = transactions.get(tp);
            if (transaction != null) {
                transaction.committedOffset(position);
            }
            context.counters().committed(tp, position);
            untoldSourceOffsets.put(tp, OffsetMetadata.of(position, context.topicId(tp.topic())));
            if (retries.contains(tp) || context.health().state(tp) == PartitionHealth.State.LAGGING) {
                retries.recovered(tp);
                context.health().ok(tp);
            }
            if (pauses.contains(tp)) {
                pauses.recovered(tp);
                context.health().ok(tp);
            }
        });
        tellSourceGroup(false);
    }

    /** Commits the offsets committed on the destination to the source group too, for lag tools: once a second, or now. */
    private void tellSourceGroup(boolean now) {
        long nowNanos = System.nanoTime();
        if (untoldSourceOffsets.isEmpty() || !now && nowNanos - lastToldNanos < TELL_SOURCE_GROUP_NANOS) {
            return;
        }
        lastToldNanos = nowNanos;
        consumer.commitAsync(new HashMap<>(untoldSourceOffsets), (offsets, e) -> {
            if (e != null) {
                log.debug("Stream {}: informational commit to the source group failed: {}", context.stream(), e.toString());
            }
        });
        untoldSourceOffsets.clear();
    }

    private CompletableFuture<Void> run(Runnable task) {
        return CompletableFuture.runAsync(task, workers());
    }

    /**
     * Waits for each slot's task until {@code deadlineNanos} or the stop deadline; a task that takes longer than
     * {@value #SLOW_COMMIT_NANOS} ns makes the slot's partitions LAGGING meanwhile.
     *
     * @return the tasks that failed or did not finish in time, with the cause
     */
    private Map<SlotProducer, Throwable> await(Map<SlotProducer, CompletableFuture<Void>> tasks, long deadlineNanos) {
        Map<SlotProducer, Throwable> failed = new LinkedHashMap<>();
        long started = System.nanoTime();
        for (Map.Entry<SlotProducer, CompletableFuture<Void>> task : tasks.entrySet()) {
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

    /** The threads that open, commit and close the slots' transactions in parallel. */
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

    /** Another instance owns {@code slot} now: drop its producer and stop fetching its partitions until the group says otherwise. */
    private void fenced(SlotProducer slot, List<TopicPartition> members, Throwable e) {
        slot.close(Duration.ZERO);
        slots.remove(slot.transactionalId());
        running.remove(slot);
        forgetCommitState(slot);
        for (TopicPartition tp : members) {
            transactions.remove(tp);
            slot.partitions().remove(tp);
            ready.remove(tp);
            unhold(tp);
        }
        turns.removed(members);
        retries.removed(members);
        pauses.removed(members);
        consumer.pause(members);
        log.warn("Stream {}: source partition{} {} {} taken over by another mirror instance ({}); {} uncommitted records"
                + " are discarded and the new owner mirrors them", context.stream(), members.size() == 1 ? "" : "s",
                members.size() == 1 ? members.get(0) : members, members.size() == 1 ? "was" : "were", e.toString(),
                members.size() == 1 ? "its" : "their");
    }

    @Override
    public void revoked(Collection<TopicPartition> partitions) {
        if (closed) {
            return; // the consumer's close revokes what the delivery's close already handled
        }
        finishRunningCommits(slotsOf(partitions), System.nanoTime() + CLOSE_TIMEOUT.toNanos());
        commit(partitions, System.nanoTime() + CLOSE_TIMEOUT.toNanos()).forEach((tp, cause) -> log.warn(
                "Stream {}: committing source partition {} before it was revoked failed ({}); it is released uncommitted and"
                        + " its new owner resumes from the offset committed on the destination", context.stream(), tp, cause.toString()));
        tellSourceGroup(true);
        release(partitions, System.nanoTime() + CLOSE_TIMEOUT.toNanos());
    }

    @Override
    public void lost(Collection<TopicPartition> partitions) {
        release(partitions, System.nanoTime() + CLOSE_TIMEOUT.toNanos());
    }

    @Override
    public void restartFromBeginning(Collection<TopicPartition> partitions) {
        finishRunningCommits(slotsOf(partitions), System.nanoTime() + CLOSE_TIMEOUT.toNanos());
        Set<TopicPartition> reopened = new HashSet<>();
        for (TopicPartition tp : partitions) {
            PartitionTransaction transaction = transactions.get(tp);
            if (transaction != null) {
                SlotProducer slot = transaction.slot();
                slot.close(Duration.ZERO); // its other partitions lose the open transaction too, and open again with it
                for (TopicPartition member : members(slot)) {
                    transactions.get(member).discarded();
                    unhold(member);
                    turns.closed(member);
                    ready.remove(member);
                    reopened.add(member);
                }
            }
        }
        reopened.addAll(partitions);
        consumer.pause(reopened);
        if (offsetMap != null) {
            offsetMap.forget(partitions);
        }
        try {
            open(reopened);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Closes the slots of the partitions in parallel, each aborting its open transaction if there is time. A
     * slot that keeps partitions of this stream (it lost only some) is opened again for them after the short
     * backoff, from the offsets committed on the destination.
     */
    private void release(Collection<TopicPartition> partitions, long deadlineNanos) {
        Set<SlotProducer> released = new HashSet<>();
        for (TopicPartition tp : partitions) {
            PartitionTransaction transaction = transactions.remove(tp);
            ready.remove(tp);
            if (transaction != null) {
                transaction.slot().partitions().remove(tp);
                released.add(transaction.slot());
            }
        }
        retries.removed(partitions);
        pauses.removed(partitions);
        partitions.forEach(this::unhold);
        turns.removed(partitions);
        if (offsetMap != null) {
            offsetMap.forget(partitions);
        }
        Map<SlotProducer, CompletableFuture<Void>> closing = new LinkedHashMap<>();
        long now = System.nanoTime();
        for (SlotProducer slot : released) {
            running.remove(slot);
            forgetCommitState(slot);
            if (slot.isOpen()) {
                Duration timeout = Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
                closing.put(slot, run(() -> slot.close(timeout)));
            }
            List<TopicPartition> kept = members(slot);
            if (kept.isEmpty()) {
                slots.remove(slot.transactionalId());
                continue;
            }
            for (TopicPartition tp : kept) {
                transactions.get(tp).discarded();
                unhold(tp);
                turns.closed(tp);
                ready.remove(tp);
                retries.failed(tp, now);
            }
            consumer.pause(kept);
        }
        await(closing, deadlineNanos).forEach((slot, cause) -> log.debug("Stream {}: the producer {} did not close in time ({});"
                + " abandoned", context.stream(), slot.transactionalId(), cause.toString()));
    }

    @Override
    public void abandon() {
        slots.values().forEach(slot -> slot.close(Duration.ZERO));
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
            tellSourceGroup(true);
        } finally {
            release(new ArrayList<>(transactions.keySet()), deadlineNanos);
            if (workers != null) {
                workers.shutdownNow();
            }
        }
    }
}
