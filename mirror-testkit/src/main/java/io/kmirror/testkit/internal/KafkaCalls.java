package io.kmirror.testkit.internal;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;

/** Bounded waits on Kafka futures and on conditions, with errors that say what was awaited. */
public final class KafkaCalls {

    /** The pause between two checks of a polled condition. */
    public static final Duration POLL_PAUSE = Duration.ofMillis(50);

    private KafkaCalls() {
    }

    /**
     * Waits for an admin future.
     *
     * @param future the future
     * @param what what the call does, for the error message ("list topics")
     * @param timeout upper bound of the wait
     * @param <T> the result type
     * @return the result
     * @throws RuntimeException the future's own runtime failure, unwrapped (e.g. {@code UnknownTopicOrPartitionException})
     * @throws KafkaException for a checked failure, naming {@code what}
     * @throws TimeoutException if the future did not complete within {@code timeout}
     * @throws InterruptException if the thread was interrupted (its interrupt flag is set again)
     */
    public static <T> T get(KafkaFuture<T> future, String what, Duration timeout) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new KafkaException("could not " + what + ": " + e.getCause(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException("could not " + what + " within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
    }

    /**
     * Polls a condition every {@link #POLL_PAUSE} until it holds; an exception thrown by the condition
     * counts as "not yet" (the last one is attached to the timeout).
     *
     * @param condition the condition
     * @param awaited what is awaited, for the error message
     * @param timeout upper bound of the wait
     * @throws TimeoutException if the condition did not hold within {@code timeout}
     * @throws InterruptException if the thread was interrupted
     */
    public static void awaitCondition(BooleanSupplier condition, String awaited, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException lastError = null;
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (InterruptException e) {
                throw e;
            } catch (RuntimeException e) {
                lastError = e;
            }
            if (System.nanoTime() - deadline > 0) {
                TimeoutException timeoutException = new TimeoutException("waited " + timeout + " for " + awaited);
                if (lastError != null) {
                    timeoutException.addSuppressed(lastError);
                }
                throw timeoutException;
            }
            pause(POLL_PAUSE);
        }
    }

    /**
     * Sleeps for a poll pause.
     *
     * @param pause how long
     * @throws InterruptException if the thread was interrupted (its interrupt flag is set again)
     */
    public static void pause(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
    }

    /**
     * Returns a bound for one attempt inside a polling loop: at most 5 s, at least 100 ms, never
     * far past the loop's deadline.
     *
     * @param deadlineNanos the loop's deadline, as {@link System#nanoTime()}
     * @return milliseconds
     */
    public static int attemptTimeoutMs(long deadlineNanos) {
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        return (int) Math.max(100, Math.min(remaining, 5_000));
    }
}
