package io.kmirror.cli;

/** The command line's exit codes, as README documents them. */
final class ExitCode {

    /** Stopped cleanly by a signal, or caught up with {@code --stop-when-caught-up}; help and version too. */
    static final int OK = 0;
    /** The mirror failed (or did not stop within {@code --shutdown.timeout.ms}). */
    static final int MIRROR_FAILED = 1;
    /**
     * {@code offsets}: a cluster could not be read or written, the group has no offsets on the source, or
     * {@code --apply} was refused (active members on the destination) or left partitions not yet mirrored.
     */
    static final int OFFSETS_NOT_DONE = 1;
    /** Bad arguments or configuration; nothing was started. */
    static final int BAD_INPUT = 2;

    private ExitCode() {
    }
}
