package io.kmirror;

/**
 * The lifecycle state of a {@link Mirror}.
 *
 * <pre>
 *   CREATED ──start()──▶ STARTING ──all streams assigned and positioned──▶ RUNNING
 *      │                    │                                               │
 *      │                    └──────────── close() or a failure ─────────────┤
 *      │                                                                    ▼
 *      └──────────── close() ────────────────────────────────────────────▶ STOPPING
 *                                                                           │
 *                                      resources released, no failure ──▶ STOPPED
 *                                      resources released after failure ──▶ FAILED
 * </pre>
 *
 * <p>{@code STOPPED} and {@code FAILED} are terminal: a mirror is started at most once. A host
 * application that wants to run again builds a new mirror (it resumes from the committed offsets of
 * its group).
 */
public enum MirrorState {
    /** Built, not started. */
    CREATED,
    /** {@link Mirror#start()} was called; streams are joining the consumer group. */
    STARTING,
    /**
     * Every stream has joined the group and its first assignment is positioned: records produced
     * to the source from now on are mirrored.
     */
    RUNNING,
    /** Stopping: polling has stopped, in-flight records are drained and their offsets committed. */
    STOPPING,
    /** Stopped cleanly; every client is closed. Terminal. */
    STOPPED,
    /**
     * Stopped because of a failure ({@link Mirror#failure()} says which); every client is closed and
     * nothing past the failed record was committed. Terminal.
     */
    FAILED;

    /** Whether this state is terminal ({@link #STOPPED} or {@link #FAILED}). */
    public boolean isTerminal() {
        return this == STOPPED || this == FAILED;
    }
}
