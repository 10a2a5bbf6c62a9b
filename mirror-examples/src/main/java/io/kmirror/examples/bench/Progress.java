package io.kmirror.examples.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A contender's clock: a daemon thread samples the count of records the destination acknowledged
 * every {@value #SAMPLE_MILLIS} ms and notes (in epoch milliseconds) the first acknowledgement, the
 * last increase, and when the count reached 10 %, 90 % and 100 % of the expected records.
 */
final class Progress {

    /**
     * Often enough to time a run of seconds to a hundredth; rarely enough that the sampling costs nothing
     * measurable: a {@code Mirror.metrics()} snapshot copies every partition's figures, and every 2 ms at
     * 2,000 partitions it showed in the contender's profile.
     */
    static final long SAMPLE_MILLIS = 10;

    private final LongSupplier acknowledged;
    private final long expected;
    private final CountDownLatch reached = new CountDownLatch(1);
    private final Thread sampler;
    private volatile boolean running = true;
    private volatile long count;
    private final long clientsStartMs;
    private volatile long firstAckMs;
    private volatile long lastAckMs;
    private volatile long tenPercentMs;
    private volatile long ninetyPercentMs;
    private volatile long expectedMs;

    private Progress(LongSupplier acknowledged, long expected, long clientsStartMs) {
        this.acknowledged = acknowledged;
        this.clientsStartMs = clientsStartMs;
        this.expected = expected;
        this.sampler = new Thread(this::sample, "bench-progress");
        sampler.setDaemon(true);
    }

    /**
     * Starts sampling {@code acknowledged}.
     *
     * @param expected       records to wait for; 0 when unknown (the contender runs until told to stop)
     * @param clientsStartMs when the contender began creating its clients (epoch milliseconds): for
     *                       kmirror just before {@code Mirror.builder()}, for the bare loop just before
     *                       its consumer is created
     */
    static Progress start(LongSupplier acknowledged, long expected, long clientsStartMs) {
        Progress progress = new Progress(acknowledged, expected, clientsStartMs);
        progress.sampler.start();
        return progress;
    }

    /** Waits up to {@code timeout} for the expected count; true once reached. */
    boolean awaitExpected(Duration timeout) throws InterruptedException {
        return expected > 0 && reached.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the expected count was reached. */
    boolean reachedExpected() {
        return reached.getCount() == 0;
    }

    /** Takes a last sample and stops sampling. */
    void stop() throws InterruptedException {
        running = false;
        sampler.join();
        sampleOnce();
    }

    /**
     * The result-line fields: {@code records}, {@code jvmStartMs}, {@code clientsStartMs}, {@code firstAckMs}, {@code lastAckMs}, {@code t10Ms},
     * {@code t90Ms}, and {@code endMs}: {@code end} if positive, else when the expected count was
     * reached, else the last acknowledgement.
     */
    Map<String, Object> fields(long end) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("records", count);
        fields.put("jvmStartMs", ProcessStats.jvmStartMillis());
        fields.put("clientsStartMs", clientsStartMs);
        fields.put("firstAckMs", firstAckMs);
        fields.put("t10Ms", tenPercentMs);
        fields.put("t90Ms", ninetyPercentMs);
        fields.put("lastAckMs", lastAckMs);
        fields.put("endMs", end > 0 ? end : expectedMs > 0 ? expectedMs : lastAckMs);
        return fields;
    }

    private void sample() {
        while (running) {
            sampleOnce();
            try {
                Thread.sleep(SAMPLE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void sampleOnce() {
        long n = acknowledged.getAsLong();
        if (n <= count) {
            return;
        }
        long now = System.currentTimeMillis();
        count = n;
        lastAckMs = now;
        if (firstAckMs == 0) {
            firstAckMs = now;
        }
        if (expected > 0) {
            if (tenPercentMs == 0 && n * 10 >= expected) {
                tenPercentMs = now;
            }
            if (ninetyPercentMs == 0 && n * 10 >= expected * 9) {
                ninetyPercentMs = now;
            }
            if (expectedMs == 0 && n >= expected) {
                expectedMs = now;
                reached.countDown();
            }
        }
    }
}
