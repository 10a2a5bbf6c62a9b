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
     * and records skipped by read_committed, so a caught-up partition commits its end offset).
     */
    long committable(LongSupplier position) {
        while (!inFlight.isEmpty() && inFlight.peekFirst().isAcknowledged()) {
            inFlight.pollFirst();
        }
        return inFlight.isEmpty() ? position.getAsLong() : inFlight.peekFirst().firstOffset();
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

    int inFlightBatches() {
        return inFlight.size();
    }
}
