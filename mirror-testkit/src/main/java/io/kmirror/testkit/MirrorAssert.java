package io.kmirror.testkit;

import io.kmirror.Mirror;
import io.kmirror.MirrorState;
import io.kmirror.testkit.internal.AssertionErrors;
import io.kmirror.testkit.internal.Eventually;
import io.kmirror.testkit.internal.Mismatch;
import io.kmirror.testkit.internal.MirrorChecks;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.Assertions;

/**
 * Assertions on a {@link Mirror}; obtain one with {@link MirrorAssertions#assertThat(Mirror)}.
 *
 * <p>Every assertion but {@link #hasFailed()} fails at once when the mirror is {@code FAILED}, with
 * the mirror's failure in the message and as the cause. Without {@link #eventually(Duration)} each
 * assertion checks once; after it, each is retried every 100 ms until it holds, a state is reached
 * from which it never can (a terminal state, a counter already past its target), or the timeout
 * passed. Not thread-safe.
 */
public class MirrorAssert extends AbstractAssert<MirrorAssert, Mirror> {

    private Duration timeout;

    /**
     * Creates assertions on a mirror; prefer {@link MirrorAssertions#assertThat(Mirror)}.
     *
     * @param actual the mirror under test
     */
    public MirrorAssert(Mirror actual) {
        super(actual, MirrorAssert.class);
    }

    /**
     * Makes every following assertion retry until it holds or {@code timeout} passed, e.g.
     * {@code assertThat(mirror).eventually(Duration.ofSeconds(30)).isRunning()}.
     *
     * @param timeout positive
     * @return this assertion object
     */
    public MirrorAssert eventually(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout of eventually(..) must be positive, was " + timeout);
        }
        this.timeout = timeout;
        return myself;
    }

    /**
     * Verifies that the mirror is {@code RUNNING}: every stream joined its group and is positioned, so
     * records produced from now on are mirrored. Under {@code eventually}, waits for it; a mirror that
     * stopped never runs again, so {@code STOPPING} and {@code STOPPED} fail at once.
     *
     * @return this assertion object
     * @throws AssertionError naming the state found, and the failure of a FAILED mirror
     */
    public MirrorAssert isRunning() {
        return check("to be RUNNING", () -> switch (actual.state()) {
            case RUNNING -> null;
            case STOPPING, STOPPED -> Mismatch.fatal("expected " + actual + " to be RUNNING, but it is " + actual.state(), null);
            case CREATED -> Mismatch.of("expected " + actual + " to be RUNNING, but it was not started (CREATED)");
            default -> Mismatch.of("expected " + actual + " to be RUNNING, but it is still " + actual.state());
        });
    }

    /**
     * Verifies that the mirror is {@code STOPPED}: closed cleanly, every client closed.
     *
     * @return this assertion object
     * @throws AssertionError naming the state found, and the failure of a FAILED mirror
     */
    public MirrorAssert isStopped() {
        return check("to be STOPPED", () -> actual.state() == MirrorState.STOPPED ? null
                : Mismatch.of("expected " + actual + " to be STOPPED, but it is " + actual.state()));
    }

    /**
     * Verifies that the mirror caught up with its source, with {@link Mirror#awaitCaughtUp(Duration)}:
     * the source's end offsets are read once, now, and every record below them must be on the
     * destination and committed within {@code timeout}. (This assertion waits by itself; it ignores
     * {@code eventually}.)
     *
     * @param timeout how long to wait
     * @return this assertion object
     * @throws AssertionError with the mirror's state, records mirrored and lag per partition if it did
     *         not catch up, or with its failure if it FAILED
     */
    public MirrorAssert hasCaughtUp(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        isNotNull();
        String expectation = "expected " + actual + " to catch up within " + seconds(timeout);
        fail(MirrorChecks.failed(actual, expectation));
        boolean caughtUp;
        try {
            caughtUp = actual.awaitCaughtUp(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AssertionErrors.of(info, Mismatch.fatal(expectation + ", but the test thread was interrupted", e));
        } catch (IllegalStateException e) {
            fail(MirrorChecks.failed(actual, expectation));
            throw AssertionErrors.of(info, Mismatch.fatal(expectation + ", but " + e.getMessage(), e));
        }
        if (!caughtUp) {
            fail(MirrorChecks.failed(actual, expectation));
            fail(Mismatch.of(expectation + ", but it did not: " + MirrorChecks.status(actual) + "; "
                    + MirrorChecks.committedOffsets(actual)));
        }
        return myself;
    }

    /**
     * Verifies the number of records the destination acknowledged since the mirror started
     * ({@link io.kmirror.MirrorMetrics#recordsMirrored()}). The count only grows, so under
     * {@code eventually} a count already above {@code expected} fails at once.
     *
     * @param expected the number of records
     * @return this assertion object
     * @throws AssertionError with the count found and the mirror's status
     */
    public MirrorAssert hasMirrored(long expected) {
        return check("to have mirrored " + expected + " records", () -> {
            long mirrored = actual.metrics().recordsMirrored();
            if (mirrored == expected) {
                return null;
            }
            String message = "expected " + actual + " to have mirrored " + expected + " records, found " + mirrored
                    + " (" + MirrorChecks.status(actual) + ")";
            return mirrored > expected ? Mismatch.fatal(message, null) : Mismatch.of(message);
        });
    }

    /**
     * Verifies that the mirror has mirrored at least {@code expected} records.
     *
     * @param expected the least number of records
     * @return this assertion object
     * @throws AssertionError with the count found and the mirror's status
     */
    public MirrorAssert hasMirroredAtLeast(long expected) {
        return check("to have mirrored at least " + expected + " records", () -> {
            long mirrored = actual.metrics().recordsMirrored();
            return mirrored >= expected ? null : Mismatch.of("expected " + actual + " to have mirrored at least " + expected
                    + " records, found " + mirrored + " (" + MirrorChecks.status(actual) + ")");
        });
    }

    /**
     * Verifies that none of the mirror's partitions has records at the source that it has not fetched
     * ({@link io.kmirror.MirrorMetrics#totalLag()} is 0).
     *
     * @return this assertion object
     * @throws AssertionError with the lag of each lagging partition
     */
    public MirrorAssert hasNoLag() {
        return check("to have no lag", () -> actual.metrics().totalLag() == 0 ? null
                : Mismatch.of("expected " + actual + " to have no lag, found " + MirrorChecks.status(actual)));
    }

    /**
     * Verifies that the mirror is {@code FAILED} and returns assertions on its failure, e.g.
     * {@code assertThat(mirror).eventually(ofSeconds(30)).hasFailed().hasMessageContaining("endless loop")}.
     * Under {@code eventually}, waits for the failure; a mirror that {@code STOPPED} cleanly fails at once.
     *
     * @return assertions on {@link Mirror#failure()}
     * @throws AssertionError naming the state found
     */
    public AbstractThrowableAssert<?, ? extends Throwable> hasFailed() {
        isNotNull();
        fail(Eventually.check(timeout, () -> switch (actual.state()) {
            case FAILED -> null;
            case STOPPED -> Mismatch.fatal("expected " + actual + " to fail, but it stopped without a failure", null);
            default -> Mismatch.of("expected " + actual + " to fail, but it is " + actual.state());
        }));
        return Assertions.assertThat(actual.failure().orElse(null));
    }

    private MirrorAssert check(String expectation, Supplier<Mismatch> check) {
        isNotNull();
        fail(Eventually.check(timeout, () -> {
            Mismatch failed = MirrorChecks.failed(actual, "expected " + actual + " " + expectation);
            return failed != null ? failed : check.get();
        }));
        return myself;
    }

    private void fail(Mismatch mismatch) {
        if (mismatch != null) {
            throw AssertionErrors.of(info, mismatch);
        }
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
