package io.kmirror.testkit.internal;

/**
 * Carries a mirror's recent events into a failed test's report, as a suppressed exception of the
 * failure: its message is the events; it has no stack trace.
 */
public final class RecentMirrorEvents extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param events the events, formatted
     */
    public RecentMirrorEvents(String events) {
        super(events, null, false, false);
    }
}
