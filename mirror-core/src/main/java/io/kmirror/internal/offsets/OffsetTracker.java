package io.kmirror.internal.offsets;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Per assigned source partition, what may be committed: the highest offset below which the
 * destination acknowledged every record. Owned by one stream thread and not thread-safe; only the
 * batches it hands out are completed from the producer's thread.
 */
public final class OffsetTracker {

    private final Map<TopicPartition, PartitionProgress> partitions = new HashMap<>();

    /** Starts tracking newly assigned partitions. */
    public void assigned(Collection<TopicPartition> assigned) {
        for (TopicPartition tp : assigned) {
            partitions.putIfAbsent(tp, new PartitionProgress(tp));
        }
    }

    /** Stops tracking partitions that were revoked or lost. */
    public void removed(Collection<TopicPartition> removed) {
        removed.forEach(partitions::remove);
    }

    /**
     * Registers {@code records} records of {@code partition}, starting at {@code firstOffset}, that
     * are about to be sent; the returned batch is the callback to pass with each of their sends.
     */
    public InFlightBatch send(TopicPartition partition, long firstOffset, int records, InFlightBatch.AckListener listener) {
        return send(partition, firstOffset, -1, records, listener);
    }

    /** {@link #send(TopicPartition, long, int, InFlightBatch.AckListener)}, the first record with {@code firstTimestamp}. */
    public InFlightBatch send(TopicPartition partition, long firstOffset, long firstTimestamp, int records,
            InFlightBatch.AckListener listener) {
        PartitionProgress progress = partitions.get(partition);
        if (progress == null) {
            throw new IllegalStateException("records of unassigned partition " + partition);
        }
        return progress.open(firstOffset, firstTimestamp, records, listener);
    }

    /**
     * The source timestamp of the first record of {@code partition}'s oldest batch not fully acknowledged
     * (its oldest unacknowledged record, or one at most a poll older); empty if none is in flight.
     */
    public OptionalLong oldestUnacknowledgedTimestamp(TopicPartition partition) {
        PartitionProgress progress = partitions.get(partition);
        return progress == null ? OptionalLong.empty() : progress.oldestUnacknowledgedTimestamp();
    }

    /**
     * The offsets to commit for {@code which} (tracked ones only): for each partition whose
     * acknowledged prefix moved past its last commit, that prefix's end.
     *
     * @param position the consumer's current position of a partition
     */
    public Map<TopicPartition, OffsetAndMetadata> toCommit(Collection<TopicPartition> which,
            ToLongFunction<TopicPartition> position) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : which) {
            PartitionProgress progress = partitions.get(tp);
            if (progress != null) {
                long offset = progress.committable(() -> position.applyAsLong(tp));
                if (offset > progress.committed()) {
                    offsets.put(tp, new OffsetAndMetadata(offset));
                }
            }
        }
        return offsets;
    }

    /** {@link #toCommit(Collection, ToLongFunction)} for every tracked partition. */
    public Map<TopicPartition, OffsetAndMetadata> toCommit(ToLongFunction<TopicPartition> position) {
        return toCommit(partitions.keySet(), position);
    }

    /** Records that {@code offsets} were committed. */
    public void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((tp, om) -> {
            PartitionProgress progress = partitions.get(tp);
            if (progress != null) {
                progress.committed(om.offset());
            }
        });
    }

    /**
     * For a partition with a failed record: whether every record sent so far has an outcome, so that
     * {@link #firstFailedOffset} is final.
     */
    public boolean isSettled(TopicPartition partition) {
        PartitionProgress progress = partitions.get(partition);
        return progress == null || progress.isSettled();
    }

    /** The offset of {@code partition}'s first record that failed and was not skipped, or {@code Long.MAX_VALUE}. */
    public long firstFailedOffset(TopicPartition partition) {
        PartitionProgress progress = partitions.get(partition);
        return progress == null ? Long.MAX_VALUE : progress.firstFailedOffset();
    }

    /**
     * Forgets {@code partition}'s batches, keeping its last commit: the stream seeks it back and sends
     * from there again. Callbacks of the forgotten batches still arrive and change nothing.
     */
    public void restart(TopicPartition partition) {
        PartitionProgress old = partitions.get(partition);
        if (old != null) {
            PartitionProgress fresh = new PartitionProgress(partition);
            fresh.committed(old.committed());
            partitions.put(partition, fresh);
        }
    }

    /** How long {@code partition}'s oldest unacknowledged batch has waited, in nanoseconds; 0 when none waits. */
    public long oldestWaitNanos(TopicPartition partition, long nowNanos) {
        PartitionProgress progress = partitions.get(partition);
        return progress == null ? 0 : progress.oldestWaitNanos(nowNanos);
    }

    /** The partitions tracked now. */
    public Set<TopicPartition> partitions() {
        return Set.copyOf(partitions.keySet());
    }

    /** Whether any record is still awaiting the destination's answer (an acknowledgement or a failure). */
    public boolean hasInFlight() {
        return partitions.values().stream().anyMatch(p -> !p.isSettled());
    }
}
