package io.kmirror.internal.control;

import java.util.function.LongSupplier;

/**
 * A mirror-wide budget of bytes per second, shared by its streams: a token bucket holding at most one
 * second's worth. Streams report what they fetched; while the bucket is empty they pause their
 * partitions (never sleep in the poll loop), so heartbeats and commits go on. A large fetch leaves the
 * bucket in debt, which pauses the streams until it is repaid: over any window of seconds the rate stays
 * within the budget plus one fetch. Thread-safe.
 */
public final class Throttle {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final LongSupplier clock;
    private long bytesPerSecond;
    private double available;
    private long refilledNanos;

    /** A throttle of {@code bytesPerSecond}, or none when 0. */
    public Throttle(long bytesPerSecond) {
        this(bytesPerSecond, System::nanoTime);
    }

    /** A throttle reading the time in nanoseconds from {@code clock}. */
    Throttle(long bytesPerSecond, LongSupplier clock) {
        this.clock = clock;
        this.refilledNanos = clock.getAsLong();
        set(bytesPerSecond);
    }

    /** Changes the budget; 0 removes it. */
    public synchronized void set(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("maxBytesPerSecond must be 0 (no limit) or positive, was " + bytesPerSecond);
        }
        refill();
        this.bytesPerSecond = bytesPerSecond;
        available = Math.min(available, bytesPerSecond);
    }

    /** The budget in bytes per second; 0 when there is none. */
    public synchronized long bytesPerSecond() {
        return bytesPerSecond;
    }

    /** Whether there is a budget at all. */
    public synchronized boolean isOn() {
        return bytesPerSecond > 0;
    }

    /** A stream fetched {@code bytes}. */
    public synchronized void fetched(long bytes) {
        if (bytesPerSecond > 0) {
            refill();
            available -= bytes;
        }
    }

    /** Whether the budget is used up for now: streams pause their partitions until it is not. */
    public synchronized boolean exhausted() {
        if (bytesPerSecond == 0) {
            return false;
        }
        refill();
        return available <= 0;
    }

    private void refill() {
        long now = clock.getAsLong();
        available = Math.min(bytesPerSecond, available + (double) bytesPerSecond * (now - refilledNanos) / NANOS_PER_SECOND);
        refilledNanos = now;
    }
}
