package io.kmirror.examples;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * The entry point of {@code kmirror.jar}: {@code demo} runs the embedded demo; anything else is the
 * MirrorMaker-compatible command line. Exit codes: 0 ok, 1 the mirror failed or the demo found a
 * mismatch, 2 bad arguments or configuration.
 */
public final class KmirrorMain {

    private KmirrorMain() {
    }

    /** Runs the program named by the first argument and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs without exiting; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("demo")) {
            return Demo.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        err.println("usage: java -jar kmirror.jar demo [--records N]");
        err.println("The MirrorMaker-compatible command line (--consumer.config, --producer.config, --whitelist, ...) is not there yet.");
        return 2;
    }
}
