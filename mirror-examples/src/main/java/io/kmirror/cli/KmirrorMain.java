package io.kmirror.examples;

import io.kmirror.examples.bench.Bench;
import io.kmirror.examples.cli.MirrorCommand;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * The entry point of {@code kmirror.jar}: {@code demo} runs the embedded demo; anything else is the
 * MirrorMaker-compatible command line ({@link MirrorCommand}). Exit codes: 0 ok, 1 the mirror failed
 * or the demo found a mismatch, 2 bad arguments or configuration.
 */
public final class KmirrorMain {

    private KmirrorMain() {
    }

    /** Runs the program named by the first argument and exits with its code. */
    public static void main(String[] args) {
        boolean mirrorCommand = args.length == 0 || !isSubcommand(args[0]);
        int code = mirrorCommand
                ? new MirrorCommand(System.out, System.err, MirrorCommand.stdoutIsTerminal(), true).run(args)
                : run(args, System.in, System.out, System.err);
        System.exit(code);
    }

    /** Runs without exiting and without handling signals; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, InputStream.nullInputStream(), out, err);
    }

    /**
     * Runs without exiting and without handling signals (the mirror runs until it fails or, with
     * {@code --stop-when-caught-up}, catches up), reading {@code demo --interactive}'s lines from {@code in}.
     *
     * @return the exit code
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("demo")) {
            return Demo.run(Arrays.copyOfRange(args, 1, args.length), in, out, err);
        }
        if (args.length > 0 && args[0].equals("bench")) {
            return Bench.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        return new MirrorCommand(out, err, false, false).run(args);
    }

    private static boolean isSubcommand(String word) {
        return word.equals("demo") || word.equals("bench");
    }
}
