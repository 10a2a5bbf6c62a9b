package io.kmirror.testkit.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Finds a mirror's threads left running: kmirror names every thread it starts
 * {@code kmirror-<group>-...}, and a closed mirror has none left.
 */
public final class MirrorThreads {

    /** The prefix of the name of every thread a mirror starts. */
    public static final String PREFIX = "kmirror-";

    private MirrorThreads() {
    }

    /**
     * Returns the mirror threads alive now.
     *
     * @return the threads
     */
    public static Set<Thread> alive() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith(PREFIX) && thread.isAlive())
                .collect(Collectors.toSet());
    }

    /**
     * Returns the mirror threads alive now that were not in {@code before}, after giving each up to
     * {@code grace} (in all) to end: a mirror's stop thread ends just after {@code close()} returned.
     *
     * @param before the mirror threads alive at the start
     * @param grace how long to wait for new threads to end
     * @return the threads still alive, sorted by name
     */
    public static List<Thread> leakedSince(Set<Thread> before, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        List<Thread> leaked = new ArrayList<>();
        for (Thread thread : alive()) {
            if (before.contains(thread)) {
                continue;
            }
            long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (remaining > 0) {
                try {
                    thread.join(remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (thread.isAlive()) {
                leaked.add(thread);
            }
        }
        leaked.sort(Comparator.comparing(Thread::getName));
        return leaked;
    }

    /**
     * Describes leaked threads: names and where each one is.
     *
     * @param threads the threads
     * @return one line per thread, with its top stack frames
     */
    public static String describe(List<Thread> threads) {
        Map<Thread, StackTraceElement[]> stacks = Thread.getAllStackTraces();
        return threads.stream().map(thread -> "  " + thread.getName() + " (" + thread.getState() + ") at "
                        + Arrays.stream(stacks.getOrDefault(thread, new StackTraceElement[0])).limit(3)
                        .map(StackTraceElement::toString).collect(Collectors.joining(" < ")))
                .collect(Collectors.joining("\n"));
    }
}
