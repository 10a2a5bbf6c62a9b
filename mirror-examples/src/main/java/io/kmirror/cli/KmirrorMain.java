package io.kmirror.cli;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * The entry point of {@code kmirror.jar}: the MirrorMaker-compatible command line
 * ({@code java -jar kmirror.jar --consumer.config FILE --producer.config FILE --whitelist REGEX ...}),
 * {@code offsets} (a consumer group's positions translated to the destination, {@code --apply} to move it),
 * and {@code demo} / {@code bench}, which run {@code kmirror-demo.jar} next to it. Exit codes: 0 ok,
 * 1 the mirror failed (or {@code offsets} could not do its job), 2 bad arguments or configuration;
 * {@code demo} and {@code bench} pass on theirs.
 */
public final class KmirrorMain {

    private KmirrorMain() {
    }

    /**
     * Runs the command line, handling SIGTERM and Ctrl-C (a graceful stop), and exits the JVM with its code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        LoggingBackend.choose();
        System.exit(new MirrorCommand(System.in, System.out, System.err, MirrorCommand.stdoutIsTerminal(), true).run(args));
    }

    /**
     * Runs the command line without exiting and without handling signals; {@code demo --interactive}
     * reads nothing.
     *
     * @param args the command line
     * @param out  standard output
     * @param err  standard error
     * @return the exit code
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, InputStream.nullInputStream(), out, err);
    }

    /**
     * Runs the command line without exiting and without handling signals: the mirror runs until it
     * fails or, with {@code --stop-when-caught-up}, catches up.
     *
     * @param args the command line
     * @param in   standard input, for {@code demo --interactive}
     * @param out  standard output
     * @param err  standard error
     * @return the exit code
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return new MirrorCommand(in, out, err, false, false).run(args);
    }
}
