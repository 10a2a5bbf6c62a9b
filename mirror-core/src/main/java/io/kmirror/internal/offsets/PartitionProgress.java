package io.kmirror.internal.offsets;

import java.util.ArrayDeque;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;

/**
 * The in-flight batches of one assigned source partition, in source order. Only the owning stream
 * thread calls these methods; the batches themselves are completed on the producer's thread.
 */
final class PartitionProgress {

    private final TopicPartition partition;
    private final ArrayDeque<InFlightBatch> inFlight = new ArrayDeque<>();
    private long committed = -1;

    PartitionProgress(TopicPartition partition) {
        this.partition = partition;
    }

    InFlightBatch open(long firstOffset, long firstTimestamp, int records, InFlightBatch.AckListener listener) {
        InFlightBatch batch = new InFlightBatch(partition, firstOffset, firstTimestamp, records, listener);
        inFlight.addLast(batch);
        return batch;
    }

    /**
     * The offset below which every record is acknowledged: the first offset of the oldest batch not
     * fully acknowledged, or, when all are, the consumer's position (which is past transaction markers
     * and records skipped by read_committed, so a caught-up partition commits its end offset). A batch
     * with a failed record whose records all have an outcome gives the failed record's offset: every
     * record below it was acknowledged.
     */
    long committable(LongSupplier position) {
        while (!inFlight.isEmpty() && inFlight.peekFirst().isAcknowledged()) {
            inFlight.pollFirst();
        }
        if (inFlight.isEmpty()) {
            return position.getAsLong();
        }
        InFlightBatch oldest = inFlight.peekFirst();
        return oldest.isSettled() ? oldest.firstFailedOffset() : oldest.firstOffset();
    }

    /** Whether every batch has an outcome; then a failed record's offset is final. */
    boolean isSettled() {
        return inFlight.stream().allMatch(InFlightBatch::isSettled);
    }

    /** The offset of the first record that failed and was not skipped, or {@code Long.MAX_VALUE}. */
    long firstFailedOffset() {
        return inFlight.stream().mapToLong(InFlightBatch::firstFailedOffset).min().orElse(Long.MAX_VALUE);
    }

    /** How long the oldest batch not yet acknowledged has waited, in nanoseconds; 0 when none waits. */
    long oldestWaitNanos(long nowNanos) {
        for (InFlightBatch batch : inFlight) {
            if (!batch.isSettled()) {
                return nowNanos - batch.sentAtNanos();
            }
        }
        return 0;
    }

    /** The first timestamp of the oldest batch not fully acknowledged; empty if every batch is. */
    OptionalLong oldestUnacknowledgedTimestamp() {
        for (InFlightBatch batch : inFlight) {
            if (!batch.isAcknowledged()) {
                return OptionalLong.of(batch.firstTimestamp());
            }
        }
        return OptionalLong.empty();
    }

    long committed() {
        return committed;
    }

    void committed(long offset) {
        committed = Math.max(committed, offset);
    }
}
