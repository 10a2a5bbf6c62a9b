package io.kmirror;

import java.util.Collection;
import javax.annotation.Nullable;
import org.apache.kafka.common.TopicPartition;

/**
 * Receives a mirror's lifecycle events. Every method has a no-op default, so new events can be
 * added without breaking implementations.
 *
 * <p>Threading: methods are called from the mirror's own threads (a stream thread, the topic thread
 * or the thread that stops the mirror), never while the mirror holds a lock, one event at a time per
 * calling thread. Implementations must be thread-safe and return quickly; an exception thrown by a
 * listener is logged and otherwise ignored.
 */
public interface MirrorListener {

    /** The mirror moved from {@code from} to {@code to}. For {@link MirrorState#FAILED}, see {@link Mirror#failure()}. */
    default void onStateChange(MirrorState from, MirrorState to) {
    }

    /** A stream was assigned these source partitions and positioned on them. */
    default void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    }

    /**
     * A stream let go of these source partitions, after draining its in-flight records and committing
     * what the destination acknowledged.
     */
    default void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    }

    /**
     * A stream lost these source partitions without committing: the group gave them to another member
     * (for instance after the stream stalled past {@code max.poll.interval.ms} or its session expired).
     * Records after the last commit are mirrored again by the new owner (under exactly-once, the new
     * owner's transactions make that invisible to {@code read_committed} readers).
     */
    default void onPartitionsLost(Collection<TopicPartition> partitions) {
    }

    /**
     * The health of a source partition this mirror instance owns changed (see {@link Mirror#health()}).
     * Called from the thread that noticed, once per change, never for a partition that merely moved to
     * another instance.
     *
     * @param previous the partition's health before, or null when the partition was just assigned
     * @param current  its health now
     */
    default void onHealthChange(@Nullable PartitionHealth previous, PartitionHealth current) {
    }

    /** The mirror created {@code topic} on the destination with {@code partitions} partitions. */
    default void onDestinationTopicCreated(String topic, int partitions) {
    }
}
