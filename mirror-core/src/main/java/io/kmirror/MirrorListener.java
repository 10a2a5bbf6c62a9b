package io.kmirror;

import java.util.Collection;
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

    /** The mirror created {@code topic} on the destination with {@code partitions} partitions. */
    default void onDestinationTopicCreated(String topic, int partitions) {
    }
}
