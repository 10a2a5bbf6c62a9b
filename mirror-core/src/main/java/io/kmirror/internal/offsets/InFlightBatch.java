package io.kmirror.internal.offsets;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The records of one source partition from one poll, sent to the destination and awaiting its
 * acknowledgements. One callback object serves every record of the batch, so tracking costs one
 * atomic decrement per record and no allocation.
 */
public final class InFlightBatch implements Callback {

    /** Told about acknowledgements and failures; called on the producer's I/O thread. */
    public interface AckListener {
        /** A record of {@code batch} was acknowledged by the destination. */
        void acknowledged(InFlightBatch batch, RecordMetadata metadata);

        /**
         * A record of this batch could not be written. Returns true to count it as done anyway (the
         * record is skipped), false to keep the batch from ever completing.
         */
        boolean failed(InFlightBatch batch, Exception exception);
    }

    private final TopicPartition source;
    private final long firstOffset;
    private final long firstTimestamp;
    private final AtomicInteger unacknowledged;
    private final AckListener listener;
    private volatile Exception failure;

    InFlightBatch(TopicPartition source, long firstOffset, long firstTimestamp, int records, AckListener listener) {
        this.source = source;
        this.firstOffset = firstOffset;
        this.firstTimestamp = firstTimestamp;
        this.unacknowledged = new AtomicInteger(records);
        this.listener = listener;
    }

    /** The source partition the records come from. */
    public TopicPartition source() {
        return source;
    }

    /** The source offset of the batch's first record: the commit point while the batch is in flight. */
    public long firstOffset() {
        return firstOffset;
    }

    /** The source timestamp of the batch's first record. */
    public long firstTimestamp() {
        return firstTimestamp;
    }

    /** Whether the destination acknowledged every record of the batch. */
    public boolean isAcknowledged() {
        return unacknowledged.get() == 0;
    }

    /** The first send failure of the batch, or null. */
    public Exception failure() {
        return failure;
    }

    /** Marks one record as failed without sending it (the send call itself threw). */
    public void failWithoutSend(Exception exception) {
        onCompletion(null, exception);
    }

    /** Marks one record as done without sending it (a transformer dropped it). */
    public void dropped() {
        unacknowledged.decrementAndGet();
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception exception) {
        if (exception != null) {
            if (listener.failed(this, exception)) {
                unacknowledged.decrementAndGet();
            } else if (failure == null) {
                failure = exception;
            }
        } else {
            unacknowledged.decrementAndGet();
            listener.acknowledged(this, metadata);
        }
    }
}
