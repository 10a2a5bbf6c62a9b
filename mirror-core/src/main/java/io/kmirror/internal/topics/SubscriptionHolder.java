package io.kmirror.internal.topics;

import java.time.Duration;

/** Hands the latest {@link Subscription} from the topic thread to the stream threads. Thread-safe. */
public final class SubscriptionHolder {

    private volatile Subscription current = Subscription.NONE;

    /** The latest subscription. */
    public Subscription current() {
        return current;
    }

    /** Replaces the subscription and wakes every stream waiting for one. */
    public synchronized void publish(Subscription subscription) {
        current = subscription;
        notifyAll();
    }

    /** Waits up to {@code timeout} for a subscription newer than {@code version}; returns the latest. */
    public synchronized Subscription awaitNewerThan(long version, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long remaining;
        while (current.version() <= version && (remaining = deadline - System.nanoTime()) > 0) {
            wait(Math.max(1, remaining / 1_000_000));
        }
        return current;
    }
}
