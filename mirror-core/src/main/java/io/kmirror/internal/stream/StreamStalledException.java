package io.kmirror.internal.stream;

import org.apache.kafka.common.errors.TimeoutException;

/** The cause of a LAGGING partition whose stream has been blocked on the destination for a while. */
public final class StreamStalledException extends TimeoutException {

    private static final long serialVersionUID = 1L;

    /** A cause with {@code message}. */
    public StreamStalledException(String message) {
        super(message);
    }
}
