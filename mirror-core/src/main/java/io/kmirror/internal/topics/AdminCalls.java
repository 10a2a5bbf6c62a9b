package io.kmirror.internal.topics;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;

/** Waits for admin results with one bound, turning their failures into exceptions that say what was asked. */
final class AdminCalls {

    static final long TIMEOUT_MS = 30_000;

    private AdminCalls() {
    }

    /** The future's value; its failure as a KafkaException saying {@code what} failed, with the cause. */
    static <T> T get(KafkaFuture<T> future, String what) throws InterruptedException {
        try {
            return future.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new KafkaException(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException(what + " timed out after " + TIMEOUT_MS + " ms", e);
        }
    }

    /** The cause of a failed admin call: the broker's error where there is one. */
    static Throwable cause(Throwable e) {
        return e instanceof KafkaException && e.getCause() != null && !(e.getCause() instanceof TimeoutException)
                ? e.getCause() : e;
    }
}
