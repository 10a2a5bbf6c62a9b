package io.kmirror.internal.stream;

import java.util.Collection;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * How a stream gets polled records onto the destination and records its progress: the part that
 * differs between at-least-once and exactly-once. Called only from the stream's own thread (the
 * rebalance methods from inside {@code poll}).
 */
public interface Delivery {

    /** Partitions were assigned: prepare them and position the consumer on each. */
    void assigned(Collection<TopicPartition> partitions) throws InterruptedException;

    /** Sends the polled records. */
    void send(ConsumerRecords<byte[], byte[]> records) throws InterruptedException;

    /**
     * Looks at what the destination reported since the last call: throws for a failure that stops the
     * mirror; pauses, retries or resumes partitions as the send-failure policy says; updates their health.
     */
    void throwIfFailed() throws InterruptedException;

    /** Commits progress if it is due, or at once when {@code urgent}. */
    void maybeCommit(boolean urgent);

    /** Partitions are being revoked: drain what is in flight for them and commit it before they go. */
    void revoked(Collection<TopicPartition> partitions);

    /** Partitions were lost (another member may own them already): drop them without committing. */
    void lost(Collection<TopicPartition> partitions);

    /**
     * The source topic of these partitions was recreated (GapPolicy.RECORD_AND_CONTINUE): forget what was in
     * flight for them and go on from the new topic's beginning.
     */
    void restartFromBeginning(Collection<TopicPartition> partitions);

    /**
     * The stream stops: drain and commit everything, release what the delivery owns, all of it before
     * {@code deadlineNanos} ({@link System#nanoTime()}); what is not done by then is abandoned (not
     * committed).
     */
    void close(long deadlineNanos);

    /**
     * Whether the delivery keeps {@code partition} paused for reasons of its own (being opened, rewound after
     * a failure, waiting for a retry): the stream's flow control does not resume it then.
     */
    default boolean holds(TopicPartition partition) {
        return false;
    }

    /**
     * The stream was asked to stop by {@code deadlineNanos}: waits for the destination end by then. Called
     * from the thread that stops the mirror.
     */
    default void stopBy(long deadlineNanos) {
    }

    /**
     * The stop deadline passed while the stream's thread is still blocked on the destination: close the
     * producers now, which ends every blocked call. Called from the thread that stops the mirror.
     */
    void abandon();

    /**
     * The source timestamp of the oldest record of {@code partition} sent but not yet acknowledged (with
     * exactly-once: not yet committed), or of one at most a poll older; empty if none is in flight.
     */
    OptionalLong oldestUnacknowledgedTimestamp(TopicPartition partition);
}
