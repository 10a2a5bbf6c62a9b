package io.kmirror.internal;

import io.kmirror.MirrorListener;
import io.kmirror.MirrorState;
import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A mirror's state and its allowed transitions, checked in one place. The listener hears of every
 * transition in the order they happened, one at a time, never while the state lock is held: a
 * transition queues its event, and whichever thread is not already delivering events delivers the
 * queue. A thread whose event waits behind a slow listener call does not wait for it.
 */
final class Lifecycle {

    private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);
    private static final Map<MirrorState, Set<MirrorState>> ALLOWED = Map.of(
            MirrorState.CREATED, EnumSet.of(MirrorState.STARTING, MirrorState.STOPPING),
            MirrorState.STARTING, EnumSet.of(MirrorState.RUNNING, MirrorState.STOPPING),
            MirrorState.RUNNING, EnumSet.of(MirrorState.STOPPING),
            MirrorState.STOPPING, EnumSet.of(MirrorState.STOPPED, MirrorState.FAILED),
            MirrorState.STOPPED, EnumSet.noneOf(MirrorState.class),
            MirrorState.FAILED, EnumSet.noneOf(MirrorState.class));

    private record Event(MirrorState from, MirrorState to) {
    }

    private final String name;
    private final MirrorListener listener;
    private MirrorState state = MirrorState.CREATED;
    private final Queue<Event> undelivered = new ArrayDeque<>();
    private boolean delivering;
    /** The listener has heard of the terminal state: only then do {@link #awaitTerminal} callers return. */
    private boolean terminalAnnounced;

    Lifecycle(String name, MirrorListener listener) {
        this.name = name;
        this.listener = listener;
    }

    synchronized MirrorState state() {
        return state;
    }

    /** Moves from {@code from} to {@code to} if the mirror is in {@code from}; returns whether it moved. */
    boolean transition(MirrorState from, MirrorState to) {
        synchronized (this) {
            if (state != from) {
                return false;
            }
            if (!ALLOWED.get(from).contains(to)) {
                throw new IllegalStateException("mirror " + name + ": no transition from " + from + " to " + to);
            }
            state = to;
            undelivered.add(new Event(from, to));
            if (delivering) {
                return true; // the thread delivering events delivers this one after the ones before it
            }
            delivering = true;
        }
        deliverQueued();
        return true;
    }

    private void deliverQueued() {
        while (true) {
            Event event;
            synchronized (this) {
                event = undelivered.poll();
                if (event == null) {
                    delivering = false;
                    return;
                }
            }
            log.info("Mirror {}: {} -> {}", name, event.from(), event.to());
            try {
                listener.onStateChange(event.from(), event.to());
            } catch (RuntimeException e) {
                log.warn("MirrorListener.onStateChange threw; ignored", e);
            }
            if (event.to().isTerminal()) {
                synchronized (this) {
                    terminalAnnounced = true;
                    notifyAll();
                }
            }
        }
    }

    /**
     * Waits until the state is terminal and the listener has heard of it, or {@code timeoutNanos}
     * passed; returns whether that happened.
     */
    synchronized boolean awaitTerminal(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        long remaining;
        while (!terminalAnnounced && (remaining = deadline - System.nanoTime()) > 0) {
            wait(Math.max(1, remaining / 1_000_000));
        }
        return terminalAnnounced;
    }
}
