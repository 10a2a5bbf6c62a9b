package io.kmirror.examples;

import io.kmirror.examples.bench.Bench;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The entry point of {@code kmirror-demo.jar}: {@code demo} (two embedded Kafka clusters, a mirror, every
 * record checked) and {@code bench} (the benchmark), each a command with {@code --help}. The jar carries
 * the test kit and its brokers, which the operator's {@code kmirror.jar} does not; {@code kmirror.jar demo}
 * and {@code kmirror.jar bench} run this jar.
 */
@Command(name = "java -jar kmirror-demo.jar",
        synopsisSubcommandLabel = "(demo | bench)",
        header = "kmirror's demo and benchmark, on Kafka clusters inside this JVM: no setup, no Docker.",
        mixinStandardHelpOptions = true,
        versionProvider = DemoMain.Version.class,
        commandListHeading = "%nCommands:%n",
        footerHeading = "%n",
        footer = "Exit codes: 0 ok; 1 the demo found a mismatch or a benchmark run failed; 2 bad arguments.")
public final class DemoMain {

    private DemoMain() {
    }

    /**
     * Runs the command and exits the JVM with its code.
     *
     * @param args {@code demo ...} or {@code bench ...}
     */
    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /**
     * Runs the command without exiting the JVM.
     *
     * @param args {@code demo ...} or {@code bench ...}
     * @param in   standard input, for {@code demo --interactive}
     * @param out  standard output
     * @param err  standard error
     * @return the exit code
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        CommandLine commandLine = new CommandLine(new DemoMain())
                .addSubcommand(new DemoCommand(in, out, err))
                .addSubcommand(Bench.command(out, err))
                .setOut(writer(out))
                .setErr(writer(err));
        if (args.length == 0) {
            commandLine.usage(err);
            return 2;
        }
        return commandLine.execute(args);
    }

    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(new java.io.OutputStreamWriter(stream, Charset.defaultCharset()), true);
    }

    /** {@code demo}: MirrorMaker's walkthrough in one process. */
    @Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = DemoMain.Version.class,
            description = {"Starts a source and a destination cluster in this JVM, loads testtopic (8 partitions) with"
                    + " keyed records, mirrors it with 4 streams, and checks every record and each key's order on the"
                    + " destination.", "With --interactive: a running mirror of testtopic; every line typed goes to the"
                    + " source and is shown once it has arrived on the destination; Ctrl-D ends it.",
                "With --failover: a consumer group reads half of testtopic on the source and stops; its positions are"
                    + " translated through the mirror's offset map and committed on the destination, where it reads the"
                    + " rest; both counts are printed and every record is checked to be read exactly once."},
            footer = "%nExit codes: 0 every record arrived in order (--failover: was read exactly once across the move),"
                    + " 1 it did not, 2 bad arguments.")
    static final class DemoCommand implements Callable<Integer> {
        private final InputStream in;
        private final PrintStream out;
        private final PrintStream err;

        @Option(names = "--records", paramLabel = "N", defaultValue = "100000",
                description = "Records to mirror and check (default: ${DEFAULT-VALUE}).")
        int records;

        @Option(names = "--interactive", description = "Mirror the lines typed on stdin instead.")
        boolean interactive;

        @Option(names = "--failover", description = "Move a consumer group from the source to the destination halfway"
                + " through testtopic, and check it reads every record exactly once.")
        boolean failover;

        DemoCommand(InputStream in, PrintStream out, PrintStream err) {
            this.in = in;
            this.out = out;
            this.err = err;
        }

        @Override
        public Integer call() {
            if (records < 1) {
                err.println("demo: --records must be at least 1, was " + records);
                return 2;
            }
            if (interactive && failover) {
                err.println("demo: --interactive and --failover are two demos; give one of them");
                return 2;
            }
            return Demo.run(records, interactive, failover, in, out, err);
        }
    }

    /** kmirror's version from the jar's manifest, for {@code --version}. */
    public static final class Version implements CommandLine.IVersionProvider {
        /** Created by picocli. */
        public Version() {
        }

        /** {@code kmirror <version>}. */
        @Override
        public String[] getVersion() {
            String version = DemoMain.class.getPackage().getImplementationVersion();
            return new String[] {"kmirror " + (version == null ? "(development build)" : version)};
        }
    }
}
