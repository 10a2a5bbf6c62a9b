package io.kmirror.internal.produce;

import java.util.Optional;

/** Where each source topic's records go. Thread-safe. */
public interface DestinationRoutes {
    /** The route of {@code sourceTopic}, if its destination topic is ready. */
    Optional<DestinationRoute> route(String sourceTopic);

    /**
     * Grows the destination topic of {@code sourceTopic} to {@code sourcePartitions} partitions, if it
     * follows its source and is smaller, and returns once the new partitions are writable.
     */
    DestinationRoute grow(String sourceTopic, int sourcePartitions) throws InterruptedException;

    /**
     * Whether partition {@code partition} of destination topic {@code destinationTopic} may be written to: false
     * while a partition kmirror just created has no leader that answered yet.
     */
    default boolean writable(String destinationTopic, int partition) {
        return true;
    }

    /** Whether every partition of destination topic {@code destinationTopic} may be written to. */
    default boolean writable(String destinationTopic) {
        return true;
    }

    /** Whether every destination partition may be written to (the quick check before each poll's records). */
    default boolean allWritable() {
        return true;
    }

    /** Reads the destination topic's size limit again now (a record seemed too large for it) and returns the route. */
    default DestinationRoute refreshLimit(String sourceTopic) throws InterruptedException {
        return route(sourceTopic).orElseThrow();
    }
}
