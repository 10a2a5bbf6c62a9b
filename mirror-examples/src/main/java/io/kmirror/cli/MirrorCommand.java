package io.kmirror.cli;

import java.io.Console;
import java.io.InputStream;
import java.io.PrintStream;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The MirrorMaker-compatible command line: {@code java -jar kmirror.jar --consumer.config FILE
 * --producer.config FILE --whitelist REGEX [OPTION...]}. Parses and checks everything before anything
 * starts (bad input: a message on stderr, exit 2), prints the effective configuration, runs the mirror
 * with a status display, and stops it gracefully on SIGTERM or Ctrl-C.
 *
 * {@code offsets} is run by {@link OffsetsCommand}; {@code demo} and {@code bench} are handed to {@link DemoJar}.
 *
 * <p>Exit codes: 0 stopped cleanly (or caught up with {@code --stop-when-caught-up}), 1 the mirror
 * failed, 2 bad arguments or configuration.
 */
final class MirrorCommand {

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;
    private final boolean handleSignals;

    /**
     * A command line reading {@code in} (for {@code demo --interactive}) and printing to {@code out} and {@code err}.
     *
     * @param terminal      whether {@code out} is a terminal: a live status line instead of a log line every 30 s
     * @param handleSignals whether to stop on SIGTERM / Ctrl-C through a JVM shutdown hook that ends the JVM
     *                      with the exit code, and to run {@code demo} / {@code bench} on this process's own
     *                      standard streams; only for a program's {@code main}
     */
    MirrorCommand(InputStream in, PrintStream out, PrintStream err, boolean terminal, boolean handleSignals) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
        this.handleSignals = handleSignals;
    }

    /** Whether this process's standard output is an interactive terminal. */
    static boolean stdoutIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        if (Runtime.version().feature() < 22) {
            return true; // before Java 22, a console exists only when stdin and stdout are a terminal
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /**
     * Runs the command line to its end.
     *
     * @return the exit code
     */
    int run(String[] args) {
        if (args.length == 0) {
            err.print(CommandLineParser.usage());
            err.println("kmirror: a mirror needs at least --consumer.config, --producer.config and --whitelist.");
            return ExitCode.BAD_INPUT;
        }
        MirrorRunner runner = new MirrorRunner(out, err, terminal ? terminalColumns() : 0, StatusDisplay.LOG_INTERVAL);
        MirrorSetup setup = null;
        PrometheusEndpoint metrics = null;
        try {
            Arguments arguments = CommandLineParser.parse(args);
            if (arguments.program != null) {
                return runProgram(arguments.program);
            }
            if (arguments.offsets != null) {
                return new OffsetsCommand(out, err).run(arguments.offsets);
            }
            if (arguments.help) {
                out.print(CommandLineParser.usage());
                return ExitCode.OK;
            }
            if (arguments.version) {
                out.println(CommandLineParser.version());
                return ExitCode.OK;
            }
            if (arguments.newConsumer) {
                err.println(CommandLineParser.NEW_CONSUMER_WARNING);
            }
            LogLevel.set(arguments.logLevel); // before the mirror's classes make their loggers
            setup = MirrorConfigurer.configure(arguments, runner);
            metrics = arguments.metricsPort == null ? null : PrometheusEndpoint.start(setup.mirror(), arguments.metricsPort);
        } catch (UsageException e) {
            if (setup != null) {
                setup.mirror().close();
            }
            err.println(e.render());
            return ExitCode.BAD_INPUT;
        }
        out.print(StartBanner.render(setup, CommandLineParser.version()));
        if (metrics != null) {
            out.printf("Metrics: Prometheus text at http://localhost:%d%s (JMX: kmirror:type=mirror-metrics,group=%s)%n",
                    metrics.port(), PrometheusEndpoint.PATH, setup.groupId());
        }
        out.flush();
        if (handleSignals) {
            installShutdownHook(runner);
        }
        try {
            return runner.run(setup);
        } catch (InterruptedException | RuntimeException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            e.printStackTrace(err);
            return runner.stop(ExitCode.MIRROR_FAILED, err, "kmirror: unexpected " + e + "; stopping the mirror.");
        } finally {
            if (metrics != null) {
                metrics.close();
            }
        }
    }

    private int runProgram(Arguments.DemoJarCommand program) {
        try {
            return DemoJar.run(DemoJar.expectedLocation(), program.name(), program.args, handleSignals, in, out, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("kmirror: interrupted while " + program.name() + " ran");
            return ExitCode.MIRROR_FAILED;
        }
    }

    /** The terminal's width in columns as picocli detects it (80 when it cannot tell). */
    private static int terminalColumns() {
        return new UsageMessageSpec().autoWidth(true).width();
    }

    /**
     * On SIGTERM or Ctrl-C the JVM runs its shutdown hooks and would then exit 143 or 130. This hook
     * stops the mirror gracefully and ends the JVM itself with the runner's exit code. It must halt:
     * {@code System.exit} inside a shutdown hook waits for the hooks, itself included, forever.
     */
    private void installShutdownHook(MirrorRunner runner) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            int code = runner.stopOnSignal();
            out.flush();
            err.flush();
            Runtime.getRuntime().halt(code);
        }, "kmirror-shutdown"));
    }
}
