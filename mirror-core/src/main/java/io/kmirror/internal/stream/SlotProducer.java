package io.kmirror.internal.stream;

import io.kmirror.Partitioning;
import io.kmirror.internal.MirrorCounters;
import io.kmirror.internal.offsetmap.OffsetMapRecorder;
import io.kmirror.internal.produce.DestinationRoute;
import io.kmirror.internal.produce.KeyPreservingProducer;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import javax.annotation.Nullable;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * The transactional producer of one slot: the source partitions whose records and offsets are committed
 * in one destination transaction. A slot is one source partition ({@code transactional.id} derived from
 * the partition) unless {@code transactionSlots} is set, when it is every assigned partition that
 * {@link TransactionSlots} maps to it. Whichever mirror instance opens the same {@code transactional.id}
 * next fences this one, so a zombie can never commit records or offsets for partitions it lost. After a
 * failure the producer is closed and the slot opened again, which reads the committed offsets back from
 * the destination: the destination's word is the only resume point.
 *
 * <p>Used from its stream's thread (opens and commits may run on the stream's worker threads while the
 * stream waits); acknowledgements arrive on the producer's thread.
 */
final class SlotProducer {

    /** A send that failed, with the source partition and offset of its record. */
    record SendFailure(TopicPartition source, long offset, Exception exception) {
    }

    private final String transactionalId;
    private final Function<String, Producer<byte[], byte[]>> producers;
    private final Partitioning partitioning;
    private final MirrorCounters counters;
    @Nullable
    private final OffsetMapRecorder offsetMap;
    private final AtomicReference<SendFailure> failure = new AtomicReference<>();
    private final Set<TopicPartition> partitions = new LinkedHashSet<>();
    private volatile Producer<byte[], byte[]> producer;
    private KeyPreservingProducer sender;
    private boolean open;
    private int records;

    SlotProducer(String transactionalId, Function<String, Producer<byte[], byte[]>> producers, Partitioning partitioning,
            MirrorCounters counters, @Nullable OffsetMapRecorder offsetMap) {
        this.transactionalId = transactionalId;
        this.producers = producers;
        this.partitioning = partitioning;
        this.counters = counters;
        this.offsetMap = offsetMap;
    }

    String transactionalId() {
        return transactionalId;
    }

    /** The source partitions of its stream written through it (kept by the stream). */
    Set<TopicPartition> partitions() {
        return partitions;
    }

    /**
     * Creates the producer and calls {@code initTransactions}, which fences the slot's previous producer
     * and aborts (or completes) its open transaction.
     */
    void open() {
        Producer<byte[], byte[]> created = producers.apply(transactionalId);
        try {
            created.initTransactions();
        } catch (RuntimeException e) {
            closeQuietly(created, Duration.ZERO);
            throw new KafkaException("the destination cannot run transactions: initTransactions for transactional.id "
                    + transactionalId + " failed (" + e + "); EXACTLY_ONCE needs brokers that support transactions and a"
                    + " writable __transaction_state topic (transaction.state.log.replication.factor and min.isr no larger than"
                    + " the number of brokers)", e);
        }
        producer = created;
        sender = new KeyPreservingProducer(created, partitioning);
        failure.set(null);
        open = false;
        records = 0;
    }

    /** Whether a producer is open. */
    boolean isOpen() {
        return producer != null;
    }

    /** Sends {@code record} of {@code source} inside the slot's transaction, beginning one if needed. */
    void send(TopicPartition source, ConsumerRecord<byte[], byte[]> record, DestinationRoute route) {
        begin();
        long offset = record.offset();
        sender.send(source.partition(), record, route, (metadata, exception) -> {
            if (exception == null) {
                counters.acknowledged(source, metadata);
                if (offsetMap != null) {
                    offsetMap.acknowledged(source, offset, metadata);
                }
            } else {
                failure.compareAndSet(null, new SendFailure(source, offset, exception));
            }
        });
        records++;
    }

    /** Records sent in the open transaction. */
    int records() {
        return records;
    }

    /** Whether a transaction is open. */
    boolean inTransaction() {
        return open;
    }

    /** The first send failure since the producer was opened, or null. */
    @Nullable
    SendFailure failure() {
        return failure.get();
    }

    /**
     * Commits the open transaction (an offsets-only one when no record was sent) with the source offsets
     * {@code next} (by source partition, the metadata naming the source topic), each committed under its
     * {@code offsetKeys} partition, and the offset map up to them: the records' acknowledgements are
     * awaited first, since the map needs their destination offsets. Every source partition with records
     * in the transaction must be among {@code next}.
     */
    void commit(Map<TopicPartition, OffsetAndMetadata> next, Map<TopicPartition, TopicPartition> offsetKeys,
            ConsumerGroupMetadata group) {
        begin();
        List<OffsetMapRecorder.Pending> map = List.of();
        if (offsetMap != null) {
            if (records > 0) {
                producer.flush();
            }
            map = offsetMap.toStore(next);
            OffsetMapRecorder.sendInTransaction(producer, map);
        }
        if (!next.isEmpty()) {
            Map<TopicPartition, OffsetAndMetadata> keyed = new HashMap<>();
            next.forEach((source, offset) -> keyed.put(offsetKeys.get(source), offset));
            producer.sendOffsetsToTransaction(keyed, group);
        }
        producer.commitTransaction();
        map.forEach(OffsetMapRecorder.Pending::stored);
        open = false;
        records = 0;
    }

    /**
     * Closes the producer within {@code timeout}, aborting the open transaction first when there is time;
     * without time the transaction stays open until the next {@code initTransactions} of this
     * transactional id aborts it (or the coordinator times it out).
     */
    void close(Duration timeout) {
        Producer<byte[], byte[]> closing = producer;
        if (closing == null) {
            return;
        }
        producer = null;
        sender = null; // a closed producer keeps its metadata and pooled batches: nothing may hold on to it
        if (open && !timeout.isZero()) {
            try {
                closing.abortTransaction();
            } catch (RuntimeException ignored) {
                // fenced, failed or timed out: the next initTransactions aborts it
            }
        }
        open = false;
        records = 0;
        closeQuietly(closing, timeout);
    }

    private void begin() {
        if (!open) {
            producer.beginTransaction();
            open = true;
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
