package io.kmirror.internal.stream;

import io.kmirror.Partitioning;
import io.kmirror.internal.MirrorCounters;
import io.kmirror.internal.offsetmap.OffsetMapRecorder;
import io.kmirror.internal.produce.DestinationRoute;
import io.kmirror.internal.produce.KeyPreservingProducer;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import javax.annotation.Nullable;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * The transactional producers of one slot: the source partitions whose records and offsets are committed
 * in one destination transaction. A slot is one source partition ({@code transactional.id} derived from
 * the partition) unless {@code transactionSlots} is set, when it is every assigned partition that
 * {@link TransactionSlots} maps to it. Whichever mirror instance opens the same {@code transactional.id}s
 * next fences this one, so a zombie can never commit records or offsets for partitions it lost. After a
 * failure the producers are closed and the slot opened again, which reads the committed offsets back from
 * the destination: the destination's word is the only resume point.
 *
 * <p>A slot writes through two producers that take turns (two lanes, the second's id the first's
 * with {@value #SECOND_LANE_SUFFIX}): from the start of a commit ({@link #startCommit}) the slot's next records
 * go to the other producer while the first one flushes and commits (offsets, {@code EndTxn}, the markers the
 * next transaction of the same id would wait for). A source partition's records are held back only until its
 * own records in the committing producer are acknowledged ({@link #hasUnacknowledged}), not for the whole
 * commit: at 20,000 records/s that cut the replication p99 from over 100 ms. Order holds, since the stream
 * sends a partition's records to the other producer only after everything of that partition the committing
 * one sent was acknowledged; the other producer's transaction commits only after the first one's did, and a
 * failed commit fails the slot, aborting both.
 *
 * <p>Used from its stream's thread (opens and commits may run on the stream's worker threads while the
 * stream waits); acknowledgements arrive on the producers' threads.
 */
final class SlotProducer {

    static final String SECOND_LANE_SUFFIX = "~2";

    /** A send that failed, with the source partition and offset of its record. */
    record SendFailure(TopicPartition source, long offset, Exception exception) {
    }

    /** One of the slot's producers and its open transaction. */
    private static final class Lane {
        final String transactionalId;
        Producer<byte[], byte[]> producer;
        KeyPreservingProducer sender;
        boolean open;
        int records;

        Lane(String transactionalId) {
            this.transactionalId = transactionalId;
        }
    }

    private final Function<String, Producer<byte[], byte[]>> producers;
    private final Partitioning partitioning;
    private final MirrorCounters counters;
    @Nullable
    private final OffsetMapRecorder offsetMap;
    private final AtomicReference<SendFailure> failure = new AtomicReference<>();
    /** Per source partition, its records sent through either producer and not yet acknowledged (or failed). */
    private final Map<TopicPartition, AtomicInteger> unacknowledged = new ConcurrentHashMap<>();
    private final Set<TopicPartition> partitions = new LinkedHashSet<>();
    private final Lane[] lanes;
    /** The lane new records go to; the other one may be committing. */
    private volatile Lane current;
    /** The lane whose transaction the commit started last commits. */
    private volatile Lane committing;
    private volatile boolean isOpen;

    SlotProducer(String transactionalId, Function<String, Producer<byte[], byte[]>> producers, Partitioning partitioning,
            MirrorCounters counters, @Nullable OffsetMapRecorder offsetMap) {
        this.producers = producers;
        this.partitioning = partitioning;
        this.counters = counters;
        this.offsetMap = offsetMap;
        this.lanes = new Lane[] {new Lane(transactionalId), new Lane(transactionalId + SECOND_LANE_SUFFIX)};
        assert lanes.length == TransactionSlots.PRODUCERS_PER_SLOT;
        this.current = lanes[0];
    }

    /** The slot's first {@code transactional.id} (its second is this with {@link #SECOND_LANE_SUFFIX}). */
    String transactionalId() {
        return lanes[0].transactionalId;
    }

    /** The source partitions of its stream written through it (kept by the stream). */
    Set<TopicPartition> partitions() {
        return partitions;
    }

    /**
     * Creates the producers and calls {@code initTransactions} on each, which fences the slot's previous
     * producers and aborts (or completes) their open transactions.
     */
    void open() {
        for (Lane lane : lanes) {
            Producer<byte[], byte[]> created = producers.apply(lane.transactionalId);
            try {
                created.initTransactions();
            } catch (RuntimeException e) {
                closeQuietly(created, Duration.ZERO);
                close(Duration.ZERO);
                throw new KafkaException("the destination cannot run transactions: initTransactions for transactional.id "
                        + lane.transactionalId + " failed (" + e + "); EXACTLY_ONCE needs brokers that support transactions"
                        + " and a writable __transaction_state topic (transaction.state.log.replication.factor and min.isr no"
                        + " larger than the number of brokers)", e);
            }
            lane.producer = created;
            lane.sender = new KeyPreservingProducer(created, partitioning);
            lane.open = false;
            lane.records = 0;
        }
        current = lanes[0];
        committing = null;
        unacknowledged.clear();
        failure.set(null);
        isOpen = true;
    }

    /** Whether its producers are open. */
    boolean isOpen() {
        return isOpen;
    }

    /** Sends {@code record} of {@code source} inside the slot's transaction, beginning one if needed. */
    void send(TopicPartition source, ConsumerRecord<byte[], byte[]> record, DestinationRoute route) {
        Lane lane = current;
        begin(lane);
        long offset = record.offset();
        AtomicInteger pending = unacknowledgedOf(source);
        pending.incrementAndGet();
        try {
            lane.sender.send(source.partition(), record, route, (metadata, exception) -> {
                try {
                    acknowledged(source, offset, metadata, exception);
                } finally {
                    pending.decrementAndGet();
                }
            });
        } catch (RuntimeException e) {
            pending.decrementAndGet(); // the producer threw instead of calling back
            throw e;
        }
        lane.records++;
    }

    private void acknowledged(TopicPartition source, long offset, RecordMetadata metadata, @Nullable Exception exception) {
        if (exception == null) {
            counters.acknowledged(source, metadata);
            if (offsetMap != null) {
                offsetMap.acknowledged(source, offset, metadata);
            }
        } else {
            failure.compareAndSet(null, new SendFailure(source, offset, exception));
        }
    }

    private AtomicInteger unacknowledgedOf(TopicPartition source) {
        AtomicInteger pending = unacknowledged.get(source);
        return pending != null ? pending : unacknowledged.computeIfAbsent(source, k -> new AtomicInteger());
    }

    /** Whether records of {@code source} sent through either producer await the destination's acknowledgement. */
    boolean hasUnacknowledged(TopicPartition source) {
        AtomicInteger pending = unacknowledged.get(source);
        return pending != null && pending.get() > 0;
    }

    /** Records sent in the open transaction. */
    int records() {
        return current.records;
    }

    /** Whether a transaction is open. */
    boolean inTransaction() {
        return current.open;
    }

    /** The first send failure since the producers were opened, or null. */
    @Nullable
    SendFailure failure() {
        return failure.get();
    }

    /**
     * Starts a commit of the open transaction, on the stream's thread: records sent from now on go to the other
     * producer, in a transaction of their own. The stream must send a source partition's records only once
     * {@link #hasUnacknowledged} says none of it is in flight (so that they follow its earlier ones), and must
     * call {@link #commit} next; a slot commits one transaction at a time. Returns the slot's partitions with
     * records in flight now, whose next records must wait.
     */
    Set<TopicPartition> startCommit() {
        Lane lane = current;
        begin(lane); // an offsets-only transaction when no record was sent
        committing = lane;
        current = lane == lanes[0] ? lanes[1] : lanes[0];
        Set<TopicPartition> inFlight = new HashSet<>();
        for (TopicPartition tp : partitions) {
            if (hasUnacknowledged(tp)) {
                inFlight.add(tp);
            }
        }
        return inFlight;
    }

    /**
     * Commits the transaction {@link #startCommit} started (on a worker, while the stream sends on) with the
     * source offsets {@code next} (by source partition, the metadata naming the source topic), each committed
     * under its {@code offsetKeys} partition, and the offset map up to them: waits for its records'
     * acknowledgements, then commits. Every source partition with records in the transaction must be among
     * {@code next}.
     */
    void commit(Map<TopicPartition, OffsetAndMetadata> next, Map<TopicPartition, TopicPartition> offsetKeys,
            ConsumerGroupMetadata group) {
        Lane lane = committing;
        if (lane == null) {
            throw new IllegalStateException("commit without startCommit");
        }
        committing = null;
        if (lane.records > 0) {
            lane.producer.flush();
        }
        List<OffsetMapRecorder.Pending> map = List.of();
        if (offsetMap != null) {
            map = offsetMap.toStore(next);
            OffsetMapRecorder.sendInTransaction(lane.producer, map);
        }
        if (!next.isEmpty()) {
            Map<TopicPartition, OffsetAndMetadata> keyed = new HashMap<>();
            next.forEach((source, offset) -> keyed.put(offsetKeys.get(source), offset));
            lane.producer.sendOffsetsToTransaction(keyed, group);
        }
        lane.producer.commitTransaction();
        map.forEach(OffsetMapRecorder.Pending::stored);
        lane.open = false;
        lane.records = 0;
    }

    /**
     * Closes the producers within {@code timeout} in all, aborting their open transactions first when there is time;
     * without time a transaction stays open until the next {@code initTransactions} of its transactional id
     * aborts it (or the coordinator times it out).
     */
    void close(Duration timeout) {
        isOpen = false;
        long deadlineNanos = System.nanoTime() + timeout.toNanos();
        for (Lane lane : lanes) {
            Duration left = timeout.isZero() ? Duration.ZERO : Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
            Producer<byte[], byte[]> closing = lane.producer;
            if (closing == null) {
                continue;
            }
            lane.producer = null;
            lane.sender = null; // a closed producer keeps its metadata and pooled batches: nothing may hold on to it
            if (lane.open && !left.isZero()) {
                try {
                    closing.abortTransaction();
                } catch (RuntimeException ignored) {
                    // fenced, failed or timed out: the next initTransactions aborts it
                }
            }
            lane.open = false;
            lane.records = 0;
            closeQuietly(closing, left);
        }
    }

    private static void begin(Lane lane) {
        if (!lane.open) {
            lane.producer.beginTransaction();
            lane.open = true;
        }
    }

    private static void closeQuietly(Producer<byte[], byte[]> producer, Duration timeout) {
        try {
            producer.close(timeout);
        } catch (RuntimeException ignored) {
            // closing a fenced or failed producer may throw; nothing more to release
        }
    }
}
