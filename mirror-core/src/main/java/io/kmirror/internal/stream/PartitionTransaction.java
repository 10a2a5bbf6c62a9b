package io.kmirror.internal.stream;

import io.kmirror.internal.MirrorCounters;
import io.kmirror.internal.offsets.OffsetMetadata;
import io.kmirror.internal.offsetmap.OffsetMapRecorder;
import io.kmirror.internal.produce.DestinationRoute;
import io.kmirror.internal.produce.KeyPreservingProducer;
import io.kmirror.Partitioning;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import javax.annotation.Nullable;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

/**
 * The transactions of one source partition, through a transactional producer whose
 * {@code transactional.id} is derived from the mirror's group, the source cluster and the partition:
 * whichever mirror instance opens it next fences this one, so a zombie can never commit records or
 * offsets for a partition it lost. Records and the source offset they reach are committed in one
 * transaction. After a failure the producer is closed and the partition opened again, which reads the
 * committed offset back from the destination: the destination's word is the only resume point.
 *
 * <p>Used from its stream's thread (opens and commits may run on the stream's worker threads while the
 * stream waits); acknowledgements arrive on the producer's thread.
 */
final class PartitionTransaction {

    /** A send that failed, with the source offset of its record. */
    record SendFailure(long offset, Exception exception) {
    }

    private final TopicPartition source;
    private final TopicPartition offsetKey;
    private final String transactionalId;
    private final Function<String, Producer<byte[], byte[]>> producers;
    private final Partitioning partitioning;
    private final MirrorCounters counters;
    @Nullable
    private final OffsetMapRecorder offsetMap;
    private final AtomicReference<SendFailure> failure = new AtomicReference<>();
    private volatile Producer<byte[], byte[]> producer;
    private KeyPreservingProducer sender;
    private boolean open;
    private int records;
    private long committed = -1;
    private long firstTimestamp;

    /**
     * @param offsetKey the destination partition under which the source offset is committed (Kafka 4
     *                  brokers accept committed offsets only for partitions that exist on their cluster)
     */
    PartitionTransaction(TopicPartition source, TopicPartition offsetKey, String transactionalId,
            Function<String, Producer<byte[], byte[]>> producers, Partitioning partitioning, MirrorCounters counters,
            @Nullable OffsetMapRecorder offsetMap) {
        this.source = source;
        this.offsetKey = offsetKey;
        this.transactionalId = transactionalId;
        this.producers = producers;
        this.partitioning = partitioning;
        this.counters = counters;
        this.offsetMap = offsetMap;
    }

    TopicPartition source() {
        return source;
    }

    TopicPartition offsetKey() {
        return offsetKey;
    }

    String transactionalId() {
        return transactionalId;
    }

    /**
     * Creates the producer and calls {@code initTransactions}, which fences the partition's previous
     * producer and aborts (or completes) its open transaction.
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

    /** Sends {@code record} inside this partition's transaction, beginning one if needed. */
    void send(ConsumerRecord<byte[], byte[]> record, DestinationRoute route) {
        begin();
        long offset = record.offset();
        sender.send(source.partition(), record, route, (metadata, exception) -> {
            if (exception == null) {
                counters.acknowledged(source, metadata);
                if (offsetMap != null) {
                    offsetMap.acknowledged(source, offset, metadata);
                }
            } else {
                failure.compareAndSet(null, new SendFailure(offset, exception));
            }
        });
        if (records++ == 0) {
            firstTimestamp = record.timestamp();
        }
    }

    /** Records sent in the open transaction. */
    int records() {
        return records;
    }

    /** The source timestamp of the first record of the open transaction; empty if it holds none. */
    OptionalLong oldestUncommittedTimestamp() {
        return records > 0 ? OptionalLong.of(firstTimestamp) : OptionalLong.empty();
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

    /** The source offset last committed, or -1. */
    long committed() {
        return committed;
    }

    /** The destination holds {@code offset} as this partition's committed offset (read back when opening). */
    void committedOffset(long offset) {
        committed = offset;
    }

    /**
     * Commits the open transaction (an offsets-only one when no record was sent) with the source offset
     * {@code next}, tagged with the source topic's id, and the offset map up to {@code next}: the records'
     * acknowledgements are awaited first, since the map needs their destination offsets.
     */
    void commit(long next, @Nullable Uuid topicId, ConsumerGroupMetadata group) {
        begin();
        List<OffsetMapRecorder.Pending> map = List.of();
        if (offsetMap != null) {
            if (records > 0) {
                producer.flush();
            }
            map = offsetMap.toStore(Map.of(source, new OffsetAndMetadata(next)));
            OffsetMapRecorder.sendInTransaction(producer, map);
        }
        producer.sendOffsetsToTransaction(Map.of(offsetKey, OffsetMetadata.of(next, topicId)), group);
        producer.commitTransaction();
        map.forEach(OffsetMapRecorder.Pending::stored);
        open = false;
        records = 0;
        committed = next;
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
