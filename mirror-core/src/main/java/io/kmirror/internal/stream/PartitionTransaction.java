package io.kmirror.internal.stream;

import io.kmirror.internal.produce.DestinationRoute;
import java.util.OptionalLong;
import javax.annotation.Nullable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One source partition's part in its slot's transactions ({@link SlotProducer}): where its offset is
 * committed on the destination, the offset last committed, and the oldest of its records in the open
 * transaction. Used from its stream's thread.
 */
final class PartitionTransaction {

    private final TopicPartition source;
    private final TopicPartition offsetKey;
    private final SlotProducer slot;
    private long committed = -1;
    /** Its records in the slot's open transaction, the one taking records. */
    private int records;
    private long firstTimestamp;
    /** The source timestamp of its first record in the slot's transaction being committed, or -1. */
    private long committingFirstTimestamp = -1;

    /**
     * @param offsetKey the destination partition under which the source offset is committed (Kafka 4
     *                  brokers accept committed offsets only for partitions that exist on their cluster)
     */
    PartitionTransaction(TopicPartition source, TopicPartition offsetKey, SlotProducer slot) {
        this.source = source;
        this.offsetKey = offsetKey;
        this.slot = slot;
    }

    TopicPartition source() {
        return source;
    }

    TopicPartition offsetKey() {
        return offsetKey;
    }

    SlotProducer slot() {
        return slot;
    }

    /** Sends {@code record} inside the slot's transaction. */
    void send(ConsumerRecord<byte[], byte[]> record, DestinationRoute route) {
        slot.send(source, record, route);
        if (records++ == 0) {
            firstTimestamp = record.timestamp();
        }
    }

    /** The slot's open transaction is being committed: records sent from now on go to its next one. */
    void commitStarted() {
        if (records > 0) {
            committingFirstTimestamp = firstTimestamp;
        }
        records = 0;
    }

    /** Whether records of this partition are in the slot's open transaction. */
    boolean hasRecords() {
        return records > 0;
    }

    /** The source timestamp of this partition's first record in the open transaction; empty if it holds none. */
    OptionalLong oldestUncommittedTimestamp() {
        if (committingFirstTimestamp >= 0) {
            return OptionalLong.of(committingFirstTimestamp);
        }
        return records > 0 ? OptionalLong.of(firstTimestamp) : OptionalLong.empty();
    }

    /** The slot's first send failure since its producer was opened, or null. */
    @Nullable
    SlotProducer.SendFailure failure() {
        return slot.failure();
    }

    /** The source offset last committed, or -1. */
    long committed() {
        return committed;
    }

    /** The destination holds {@code offset} as this partition's committed offset (read back, or just committed). */
    void committedOffset(long offset) {
        committed = offset;
        committingFirstTimestamp = -1;
    }

    /** The slot's transaction ended without a commit (its producer closed): nothing of this partition is in it. */
    void discarded() {
        records = 0;
        committingFirstTimestamp = -1;
    }
}
