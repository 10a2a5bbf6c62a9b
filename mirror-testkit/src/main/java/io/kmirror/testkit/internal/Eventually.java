package io.kmirror.testkit.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;

/**
 * Runs an assertion's check once, or again and again until it passes: bounded polling like
 * Awaitility's {@code untilAsserted}. The pause between attempts is {@link #POLL_INTERVAL}; there is no
 * other sleep. A {@link Mismatch#fatal() fatal} mismatch ends the polling at once.
 */
public final class Eventually {

    /** The pause between two attempts. */
    public static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private Eventually() {
    }

    /**
     * Runs {@code check} until it returns null (the assertion holds), a fatal mismatch, or until
     * {@code timeout} passed; with a null timeout, once. A {@link MismatchException} or a
     * {@link KafkaException} thrown by the check counts as a mismatch of that attempt.
     *
     * @param timeout how long to retry, or null for a single attempt
     * @param check one attempt: null if the assertion holds, else why not
     * @return null if the assertion holds; else the last mismatch, whose message says, after a
     *         timeout, how long and how often it was retried
     */
    public static Mismatch check(Duration timeout, Supplier<Mismatch> check) {
        if (timeout == null) {
            return attempt(check);
        }
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        int attempts = 0;
        while (true) {
            attempts++;
            Mismatch mismatch = attempt(check);
            if (mismatch == null || mismatch.fatal()) {
                return mismatch;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                return new Mismatch(mismatch.message() + "\n(still so after retrying for " + seconds(waitedMillis)
                        + ", " + attempts + " attempt" + (attempts == 1 ? "" : "s") + "; timeout " + seconds(timeout.toMillis()) + ")",
                        mismatch.cause(), false);
            }
            KafkaCalls.pause(Duration.ofNanos(Math.min(remaining, POLL_INTERVAL.toNanos())));
        }
    }

    private static Mismatch attempt(Supplier<Mismatch> check) {
        try {
            return check.get();
        } catch (MismatchException e) {
            return e.mismatch();
        } catch (InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            return new Mismatch("the check failed with " + e, e, false);
        }
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
