package io.kmirror.internal.control;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the host steers while a mirror runs and its streams follow: the source topics it paused and the
 * throttle. Streams read it once per poll loop; a new version means the paused topics changed.
 * Thread-safe.
 */
public final class FlowControl {

    private final Throttle throttle;
    private volatile Set<String> pausedTopics = Set.of();
    private volatile long version;

    /** Flow control with a throttle of {@code bytesPerSecond} (0: none) and no topic paused. */
    public FlowControl(long bytesPerSecond) {
        this.throttle = new Throttle(bytesPerSecond);
    }

    /** The mirror-wide throttle. */
    public Throttle throttle() {
        return throttle;
    }

    /** The source topics the host paused. */
    public Set<String> pausedTopics() {
        return pausedTopics;
    }

    /** Changes with every pause or resume. */
    public long version() {
        return version;
    }

    /** Pauses {@code topics} (besides those paused already). */
    public synchronized void pause(Collection<String> topics) {
        Set<String> now = new TreeSet<>(pausedTopics);
        now.addAll(topics);
        publish(now);
    }

    /** Resumes {@code topics}. */
    public synchronized void resume(Collection<String> topics) {
        Set<String> now = new TreeSet<>(pausedTopics);
        now.removeAll(topics);
        publish(now);
    }

    private void publish(Set<String> topics) {
        pausedTopics = Set.copyOf(topics);
        version++;
    }
}
