package io.kmirror.cli;

import io.kmirror.ConfigProblem;
import io.kmirror.Mirror;
import io.kmirror.MirrorConfigException;
import io.kmirror.MirrorListener;
import io.kmirror.MirrorMetrics;
import io.kmirror.MirrorState;
import io.kmirror.PartitionHealth;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Runs a configured mirror from start to exit code. The main thread starts it and waits: for a
 * failure (exit 1), or with {@code --stop-when-caught-up} until it has caught up (exit 0). A signal
 * (SIGTERM, Ctrl-C) calls {@link #stopOnSignal()} from the shutdown hook: drain, commit, exit 0. Whichever
 * of the two comes first stops the mirror; the other waits for it and returns the same exit code.
 */
final class MirrorRunner implements MirrorListener {

    /** How long {@code --stop-when-caught-up} may take: as long as it takes. */
    private static final Duration FOREVER = Duration.ofDays(365);

    private final PrintStream out;
    private final PrintStream err;
    private final int terminalColumns;
    private final Duration logInterval;
    private volatile MirrorSetup setup;
    private volatile Mirror mirror;
    private volatile Duration shutdownTimeout;
    private volatile StatusDisplay display;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final AtomicBoolean stopClaimed = new AtomicBoolean();
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    private volatile long startNanos;
    private volatile boolean partitionsAssigned;

    /**
     * A runner to pass as the mirror's {@link MirrorListener}, then to {@link #run} it.
     *
     * @param terminalColumns the width of the terminal {@code out} is (a live status line that fits), or 0 when
     *                        it is none (a log line now and then)
     * @param logInterval     how often the status is logged when {@code out} is not a terminal
     */
    MirrorRunner(PrintStream out, PrintStream err, int terminalColumns, Duration logInterval) {
        this.out = out;
        this.err = err;
        this.terminalColumns = terminalColumns;
        this.logInterval = logInterval;
    }

    /**
     * Starts the mirror and waits until it failed or, with {@code --stop-when-caught-up}, caught up.
     *
     * @param setup a mirror built with this runner as its listener, not started
     * @return the exit code
     */
    int run(MirrorSetup setup) throws InterruptedException {
        this.setup = setup;
        this.shutdownTimeout = Duration.ofMillis(setup.arguments().shutdownTimeoutMs);
        this.display = new StatusDisplay(() -> StatusLine.Sample.of(setup.mirror()), out, terminalColumns,
                setup.arguments().stopWhenCaughtUp, logInterval);
        this.startNanos = System.nanoTime();
        this.mirror = setup.mirror(); // last: stopOnSignal() takes a non-null mirror as "set up"
        display.start();
        try {
            mirror.start();
        } catch (IllegalStateException closedBySignal) {
            return exitCode.join();
        }
        String caughtUpNote = null;
        if (setup.arguments().stopWhenCaughtUp) {
            try {
                if (mirror.awaitCaughtUp(FOREVER)) {
                    caughtUpNote = "Caught up: every partition is mirrored up to the end it had at start.";
                }
            } catch (KafkaException progressCheckFailed) {
                return stop(ExitCode.MIRROR_FAILED, err, "kmirror: could not check whether the mirror caught up ("
                        + progressCheckFailed.getMessage() + "); stopping it.");
            } catch (IllegalStateException failed) {
                // the mirror failed: finish() reports why
            }
        } else {
            terminated.await();
        }
        if (!stopClaimed.compareAndSet(false, true)) {
            return exitCode.join(); // a signal is stopping the mirror
        }
        display.close();
        if (caughtUpNote != null) {
            out.println(caughtUpNote);
        }
        return finish(ExitCode.OK);
    }

    /** For the shutdown hook: stops the mirror gracefully, unless the main thread already does. */
    int stopOnSignal() {
        return stop(ExitCode.OK, out, String.format(Locale.ROOT,
                "Stopping: draining in-flight records and committing their offsets (at most %,d ms)...",
                shutdownTimeout == null ? 0 : shutdownTimeout.toMillis()));
    }

    /**
     * Stops the mirror gracefully, unless another thread already does; then returns that thread's code.
     *
     * @param codeIfClean the exit code if the mirror stops cleanly within the shutdown timeout
     * @param to          where to print {@code note}
     * @param note        what to print first
     */
    int stop(int codeIfClean, PrintStream to, String note) {
        if (!stopClaimed.compareAndSet(false, true)) {
            return exitCode.join();
        }
        if (mirror == null) { // not set up yet: nothing to stop
            exitCode.complete(codeIfClean);
            return codeIfClean;
        }
        display.close();
        to.println(note);
        to.flush();
        return finish(codeIfClean);
    }

    /** Closes the mirror, says how it ended, and publishes the exit code. */
    private int finish(int codeIfClean) {
        int code;
        if (!mirror.close(shutdownTimeout)) {
            err.printf(Locale.ROOT, "kmirror: the mirror did not stop within --shutdown.timeout.ms=%d; records still in"
                    + " flight were not committed and will be mirrored again at the next start.%n", shutdownTimeout.toMillis());
            code = ExitCode.MIRROR_FAILED;
        } else if (mirror.failure().isPresent()) {
            code = reportFailure(mirror.failure().get());
        } else {
            MirrorMetrics m = mirror.metrics();
            out.printf(Locale.ROOT, "Stopped after %s: %,d records mirrored (%.1f MB)%s; offsets committed to group %s.%n",
                    StatusLine.clock(Math.round((System.nanoTime() - startNanos) / 1e9)), m.recordsMirrored(),
                    m.bytesMirrored() / 1e6, extras(m), setup.groupId());
            if (!partitionsAssigned) {
                out.println("Note: no source topic matching --whitelist " + setup.arguments().whitelist
                        + " was assigned to this mirror; check the regex (it must match whole topic names).");
            }
            code = codeIfClean;
        }
        out.flush();
        err.flush();
        exitCode.complete(code);
        return code;
    }

    private int reportFailure(Throwable failure) {
        if (failure instanceof MirrorConfigException config) {
            // found at start, e.g. source and destination being one cluster under two names
            for (ConfigProblem problem : config.configProblems()) {
                err.println("kmirror: " + MirrorConfigurer.translate(problem, setup.arguments(), setup.consumer(), setup.producer()));
            }
            return ExitCode.BAD_INPUT;
        }
        err.println("kmirror: the mirror failed: " + (failure.getMessage() == null ? failure.toString() : failure.getMessage()));
        err.println("Offsets were committed only for records the destination acknowledged: the next start resumes there.");
        return ExitCode.MIRROR_FAILED;
    }

    private static String extras(MirrorMetrics m) {
        return (m.recordsDropped() == 0 ? "" : String.format(Locale.ROOT, ", %,d dropped by the message handler", m.recordsDropped()))
                + (m.recordsSkipped() == 0 ? "" : String.format(Locale.ROOT, ", %,d SKIPPED after send failures", m.recordsSkipped()));
    }

    @Override
    public void onStateChange(MirrorState from, MirrorState to) {
        if (to == MirrorState.RUNNING && display != null) {
            display.message(String.format(Locale.ROOT, "Running: %d stream(s) joined group %s; mirroring.",
                    setup.arguments().numStreams, setup.groupId()));
        }
        if (to.isTerminal()) {
            terminated.countDown();
        }
    }

    @Override
    public void onHealthChange(PartitionHealth previous, PartitionHealth current) {
        if (display != null && (previous != null || current.state() != PartitionHealth.State.OK)) {
            display.message("Partition " + current.partition() + " is " + current.state()
                    + (current.cause() == null ? "" : ": " + current.cause().getMessage()));
        }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            partitionsAssigned = true;
        }
    }
}
