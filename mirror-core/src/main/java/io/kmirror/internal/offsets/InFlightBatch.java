package io.kmirror.internal.offsets;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The records of one source partition from one poll, sent to the destination and awaiting its
 * acknowledgements. Tracking costs one small callback object and one atomic decrement per record;
 * the callback knows its record's source offset, so a refusal names the exact record and a retry can
 * start exactly there.
 */
public final class InFlightBatch {

    /** Told about acknowledgements and failures; called on the producer's I/O thread. */
    public interface AckListener {
        /** The record of {@code batch} at {@code sourceOffset} was acknowledged by the destination. */
        void acknowledged(InFlightBatch batch, long sourceOffset, RecordMetadata metadata);

        /**
         * The record at {@code sourceOffset} could not be written. Returns true to count it as done anyway
         * (the record is skipped), false to keep everything from it on uncommitted.
         */
        boolean failed(InFlightBatch batch, long sourceOffset, Exception exception);
    }

    private final TopicPartition source;
    private final long firstOffset;
    private final long sentAtNanos = System.nanoTime();
    private final AtomicInteger pending;
    private final AtomicLong firstFailedOffset = new AtomicLong(Long.MAX_VALUE);
    private final long firstTimestamp;
    private final AckListener listener;
    private volatile Exception failure;

    InFlightBatch(TopicPartition source, long firstOffset, long firstTimestamp, int records, AckListener listener) {
        this.source = source;
        this.firstOffset = firstOffset;
        this.firstTimestamp = firstTimestamp;
        this.pending = new AtomicInteger(records);
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

    /** The callback to pass with the send of the record at {@code sourceOffset}. */
    public Callback callbackFor(long sourceOffset) {
        return (metadata, exception) -> completed(sourceOffset, metadata, exception);
    }

    /** The source timestamp of the batch's first record. */
    public long firstTimestamp() {
        return firstTimestamp;
    }

    /** Whether every record of the batch was acknowledged (or skipped) and none failed. */
    public boolean isAcknowledged() {
        return pending.get() == 0 && firstFailedOffset.get() == Long.MAX_VALUE;
    }

    /** Whether every record of the batch has an outcome: acknowledged, skipped or failed. */
    boolean isSettled() {
        return pending.get() == 0;
    }

    /** The lowest source offset of a record that failed (and was not skipped), or {@code Long.MAX_VALUE}. */
    long firstFailedOffset() {
        return firstFailedOffset.get();
    }

    /** When the batch was handed to the producer, by {@link System#nanoTime()}. */
    long sentAtNanos() {
        return sentAtNanos;
    }

    /** The first send failure of the batch, or null. */
    public Exception failure() {
        return failure;
    }

    /** Marks the record at {@code sourceOffset} as failed without sending it (the send call itself threw). */
    public void failWithoutSend(long sourceOffset, Exception exception) {
        completed(sourceOffset, null, exception);
    }

    /**
     * Gives up the batch's last {@code records} records, from {@code fromOffset} on, unsent: they count as
     * failed, so nothing from {@code fromOffset} on is committed, and the batch can settle.
     */
    public void abandon(long fromOffset, int records) {
        firstFailedOffset.accumulateAndGet(fromOffset, Math::min);
        pending.addAndGet(-records);
    }

    /** Marks one record as done without sending it (a transformer dropped it). */
    public void dropped() {
        pending.decrementAndGet();
    }

    private void completed(long sourceOffset, RecordMetadata metadata, Exception exception) {
        if (exception == null) {
            pending.decrementAndGet();
            listener.acknowledged(this, sourceOffset, metadata);
            return;
        }
        if (!listener.failed(this, sourceOffset, exception)) {
            firstFailedOffset.accumulateAndGet(sourceOffset, Math::min);
            if (failure == null) {
                failure = exception;
            }
        }
        pending.decrementAndGet();
    }
}
