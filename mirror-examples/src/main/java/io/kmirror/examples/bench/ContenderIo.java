package io.kmirror.examples.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * How a contender JVM talks to the orchestrator: on stdout a {@value #READY} line once it is consuming
 * (joined its group and got partitions) and one {@value #RESULT} line with its figures as JSON; every
 * other line is ignored (logging). The orchestrator asks it to stop by closing its stdin.
 */
final class ContenderIo {

    static final String READY = "BENCH-READY";
    static final String RESULT = "BENCH-RESULT ";

    private final PrintStream out;
    private volatile boolean stopRequested;

    private ContenderIo(PrintStream out) {
        this.out = out;
    }

    /** A contender's body: runs with the orchestrator's arguments, returns the exit code. */
    @FunctionalInterface
    interface Contender {
        int run(ContenderArgs args, ContenderIo io) throws Exception;
    }

    /** A contender JVM's main: runs {@code contender} on standard in and out, exits with its code, or 1 if it threw. */
    static void exitWith(String[] args, Contender contender) {
        int code;
        try {
            code = contender.run(ContenderArgs.parse(args), start(System.in, System.out));
        } catch (Exception e) {
            e.printStackTrace();
            code = 1;
        }
        System.exit(code);
    }

    /** Talks on {@code out} and watches {@code in} for its end on a daemon thread. */
    static ContenderIo start(InputStream in, PrintStream out) {
        ContenderIo io = new ContenderIo(out);
        Thread watcher = new Thread(() -> {
            try {
                while (in.read() >= 0) {
                    // the orchestrator writes nothing; it closes stdin to ask for a stop
                }
            } catch (IOException e) {
                // a broken pipe means the same: stop
            }
            io.stopRequested = true;
        }, "bench-stdin");
        watcher.setDaemon(true);
        watcher.start();
        return io;
    }

    /** Whether the orchestrator closed stdin. */
    boolean stopRequested() {
        return stopRequested;
    }

    /** Says the contender is consuming. */
    void ready() {
        out.println(READY);
        out.flush();
    }

    /** Reports the figures. */
    void result(Map<String, Object> fields) {
        out.println(RESULT + JsonLine.write(fields));
        out.flush();
    }
}
