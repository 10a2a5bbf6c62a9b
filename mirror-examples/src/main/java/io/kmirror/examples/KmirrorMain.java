package io.kmirror.examples;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * The former entry point of {@code kmirror.jar}.
 *
 * @deprecated use {@link io.kmirror.cli.KmirrorMain}, the jar's {@code Main-Class}: e.g.
 *     {@code java -cp kmirror.jar:your-handler.jar io.kmirror.cli.KmirrorMain ...}. This class only passes on to it.
 */
@Deprecated
public final class KmirrorMain {

    private KmirrorMain() {
    }

    /**
     * Runs {@link io.kmirror.cli.KmirrorMain#main(String[])}.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        io.kmirror.cli.KmirrorMain.main(args);
    }

    /**
     * Runs {@link io.kmirror.cli.KmirrorMain#run(String[], PrintStream, PrintStream)}.
     *
     * @param args the command line
     * @param out  standard output
     * @param err  standard error
     * @return the exit code
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return io.kmirror.cli.KmirrorMain.run(args, out, err);
    }

    /**
     * Runs {@link io.kmirror.cli.KmirrorMain#run(String[], InputStream, PrintStream, PrintStream)}.
     *
     * @param args the command line
     * @param in   standard input
     * @param out  standard output
     * @param err  standard error
     * @return the exit code
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return io.kmirror.cli.KmirrorMain.run(args, in, out, err);
    }
}
