package io.kmirror.internal.stream;

import org.apache.kafka.common.KafkaException;

/** The cause of a PAUSED partition that the host paused with {@code Mirror.pause(..)}. */
public final class PausedByHostException extends KafkaException {

    private static final long serialVersionUID = 1L;

    /** The cause for partitions of {@code topic}. */
    public PausedByHostException(String topic) {
        super("source topic " + topic + " is paused (Mirror.pause); Mirror.resume goes on from where it stopped");
    }
}
