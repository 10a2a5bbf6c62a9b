package io.kmirror.internal.stream;

import io.kmirror.internal.MirrorCounters;
import io.kmirror.internal.produce.DestinationRoute;
import io.kmirror.internal.produce.KeyPreservingProducer;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;

/**
 * The transactional producer of one source partition. Its {@code transactional.id} is derived from
 * the mirror's group and the partition, so whichever mirror instance owns the partition next fences
 * this one when it calls {@code initTransactions}: a zombie can never commit records or offsets for a
 * partition it lost. Records and the source offset they reach are committed in one transaction.
 * Used from its stream's thread; acknowledgements arrive on the producer's thread.
 */
final class PartitionTransaction implements Callback {

    private final TopicPartition source;
    private final TopicPartition offsetKey;
    private final String transactionalId;
    private final Producer<byte[], byte[]> producer;
    private final KeyPreservingProducer sender;
    private final MirrorCounters counters;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private boolean open;
    private int records;
    private long firstTimestamp;

    /**
     * @param offsetKey the destination partition under which the source offset is committed (Kafka 4
     *                  brokers accept committed offsets only for partitions that exist on their cluster)
     */
    PartitionTransaction(TopicPartition source, TopicPartition offsetKey, String transactionalId,
            Producer<byte[], byte[]> producer, KeyPreservingProducer sender, MirrorCounters counters) {
        this.source = source;
        this.offsetKey = offsetKey;
        this.transactionalId = transactionalId;
        this.producer = producer;
        this.sender = sender;
        this.counters = counters;
    }

    String transactionalId() {
        return transactionalId;
    }

    /** Sends {@code record} inside this partition's open transaction, beginning one if needed. */
    void send(ConsumerRecord<byte[], byte[]> record, DestinationRoute route) {
        begin();
        sender.send(source.partition(), record, route, this);
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

    boolean isOpen() {
        return open;
    }

    /** The first send failure, or null. */
    Exception failure() {
        return failure.get();
    }

    /** Whether a send or commit failure says that another instance now owns the partition. */
    static boolean isFencing(Throwable e) {
        return e instanceof ProducerFencedException || e instanceof InvalidProducerEpochException
                || e != null && (e.getCause() instanceof ProducerFencedException
                        || e.getCause() instanceof InvalidProducerEpochException);
    }

    /** Commits the open transaction (an offsets-only one when no record was sent) with the source offset {@code next}. */
    void commit(long next, ConsumerGroupMetadata group) {
        begin();
        producer.sendOffsetsToTransaction(Map.of(offsetKey, new OffsetAndMetadata(next)), group);
        producer.commitTransaction();
        open = false;
        records = 0;
    }

    /** Aborts the open transaction, if the producer still can. */
    void abortQuietly() {
        if (open) {
            try {
                producer.abortTransaction();
            } catch (RuntimeException ignored) {
                // fenced or failed: the transaction is aborted by the next owner's initTransactions or times out
            }
            open = false;
        }
    }

    void close(Duration timeout) {
        try {
            producer.close(timeout);
        } catch (RuntimeException ignored) {
            // closing a fenced producer may throw; nothing more to release
        }
    }

    private void begin() {
        if (!open) {
            producer.beginTransaction();
            open = true;
        }
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception exception) {
        if (exception == null) {
            counters.acknowledged(source, metadata);
        } else {
            failure.compareAndSet(null, exception);
        }
    }
}
