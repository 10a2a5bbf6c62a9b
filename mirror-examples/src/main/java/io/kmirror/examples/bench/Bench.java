package io.kmirror.examples.bench;

import io.kmirror.testkit.EmbeddedKafkaCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code kmirror bench}: the benchmark. Starts a source and a destination cluster (embedded, one
 * broker each) in this JVM, preloads the workload before any clock starts, and runs each contender in
 * a JVM of its own (so CPU and memory are its own), repetition by repetition in the order given, and
 * prints the medians as tables; every result is also appended to a JSON-lines file. See
 * {@code bench --help} for the flags and {@link #run} for what the figures mean.
 *
 * <p>This is a measuring tool, not a test: run it on a machine as quiet as you can get and compare
 * ratios measured side by side rather than absolute numbers.
 */
public final class Bench {

    private final BenchOptions options;
    private final PrintStream out;

    private Bench(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Runs the benchmark with {@code args} and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the benchmark: prints progress and the result tables on {@code out}, problems on {@code err}.
     * Does not exit the JVM.
     *
     * @return 0 when every run succeeded, 1 when one failed (the others are still reported), 2 for
     *     bad arguments
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return new picocli.CommandLine(command(out, err))
                .setOut(new java.io.PrintWriter(out, true))
                .setErr(new java.io.PrintWriter(err, true))
                .execute(args);
    }

    /**
     * The {@code bench} command, for a picocli command line: {@code --help} and every flag, running the
     * benchmark when called.
     *
     * @param out where progress and the result tables go
     * @param err where problems go
     * @return the command object
     */
    public static Object command(PrintStream out, PrintStream err) {
        return new BenchOptions.Flags(out, err);
    }

    /** Runs the benchmark with checked options; 0 when every run succeeded, 1 when one failed. */
    static int execute(BenchOptions options, PrintStream out, PrintStream err) {
        try {
            return new Bench(options, out).execute();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("kmirror bench: interrupted");
            return 1;
        } catch (Exception e) {
            err.println("kmirror bench: failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    private int execute() throws IOException, InterruptedException {
        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"))); // -Djava.io.tmpdir=/dev/shm/kmirror-bench, say
        Path logs = Files.createTempDirectory("kmirror-bench-");
        ResultsFile results = new ResultsFile(options.json().toAbsolutePath(), options.workloadJson());
        header(logs, results);
        int failures = 0;
        long started = System.nanoTime();
        try (EmbeddedKafkaCluster source = EmbeddedKafkaCluster.builder().name("source").start();
             EmbeddedKafkaCluster destination = EmbeddedKafkaCluster.builder().name("destination")
                     .brokerConfig("log.message.timestamp.type", "LogAppendTime").start()) {
            BenchSetup setup = new BenchSetup(options, source, destination, logs, results, out, new AtomicInteger());
            Workload workload = new Workload(options.recordSize(), options.keys(), options.headers());
            if (options.throughputScenario()) {
                failures += throughput(setup, workload);
            }
            if (options.scaleScenario()) {
                failures += scale(setup, workload);
            }
            if (options.startupScenario()) {
                failures += startup(setup);
            }
        }
        out.println(fmt("Done in %.0f s; load average now %s; results appended to %s", (System.nanoTime() - started) / 1e9,
                loadAverage(), results.path()));
        if (failures == 0 && !options.keepLogs()) {
            deleteQuietly(logs);
        } else if (failures == 0) {
            out.println(fmt("The contenders' output is kept in %s", logs));
        } else {
            out.println(fmt("%d run(s) failed; the contenders' output is kept in %s", failures, logs));
        }
        return failures == 0 ? 0 : 1;
    }

    private int throughput(BenchSetup setup, Workload workload) throws InterruptedException {
        long bytes = preload(setup, workload, ThroughputScenario.topics(options.topics()), options.partitions());
        out.println();
        out.println("Throughput runs (each contender mirrors all " + fmt("%,d", options.records()) + " records):");
        ThroughputScenario throughput = new ThroughputScenario(setup, bytes);
        Map<String, List<ThroughputFigures>> figures = throughput.run();
        int failures = throughput.failures();
        Map<String, List<LatencyFigures>> latencies = Map.of();
        if (options.latencySeconds() > 0) {
            out.println();
            out.println(fmt("Latency runs (%,d records/s for %d s, the first %d s not measured):", options.rate(),
                    options.warmupSeconds() + options.latencySeconds(), options.warmupSeconds()));
            LatencyScenario latency = new LatencyScenario(setup, workload);
            latencies = latency.run();
            failures += latency.failures();
        }
        out.println();
        out.println(fmt("Throughput, medians of %d repetition(s) (%,d records of %d B, %s, %,d keys, %d headers; contenders -Xmx%s):",
                options.repetitions(), options.records(), options.recordSize(),
                options.topics() == 1 ? options.partitions() + " partitions"
                        : fmt("%d topics of %d partitions", options.topics(), options.partitions()),
                options.keys(), options.headers(), options.xmx()));
        out.print(Report.throughputTable(figures));
        Report.throughputMedians(figures).forEach(m -> setup.results().append("throughput", "median", m));
        if (!latencies.isEmpty()) {
            out.println();
            out.println(fmt("Replication latency at %,d records/s, medians of %d repetition(s) (destination LogAppendTime - source LogAppendTime):",
                    options.rate(), options.repetitions()));
            out.print(Report.latencyTable(latencies));
            Report.latencyMedians(latencies).forEach(m -> setup.results().append("latency", "median", m));
        }
        out.println();
        return failures;
    }

    private int scale(BenchSetup setup, Workload workload) throws InterruptedException {
        preload(setup, workload, List.of(ScaleScenario.TOPIC), options.scalePartitions());
        out.println();
        out.println("Scale runs (1 and 2 JVMs of " + options.scaleContender().name() + " in one group; each runs until the"
                + " destination holds every record):");
        ScaleScenario scale = new ScaleScenario(setup);
        Map<Integer, List<ScaleFigures>> figures = scale.run();
        out.println();
        out.println(fmt("Scale, medians of %d repetition(s) (%,d records, %d partitions; total = first JVM start to last"
                + " record on the destination; both JVMs share this machine's %d cores with the brokers):",
                options.repetitions(), options.records(), options.scalePartitions(), Runtime.getRuntime().availableProcessors()));
        out.print(Report.scaleTable(figures, options.scaleContender().name()));
        out.println();
        return scale.failures();
    }

    private int startup(BenchSetup setup) throws InterruptedException {
        Path jar = StartupScenario.findJar();
        if (jar == null) {
            out.println("Startup runs skipped: no kmirror.jar beside " + ContenderProcess.classPath() + " (build mirror-examples first)");
            return 1;
        }
        setup.source().createTopic(StartupScenario.TOPIC, 1);
        out.println();
        out.println(fmt("Startup runs (%s from process start to the first record on the destination; the source topic receives %d"
                + " records/s throughout; a training run writes the class-data sharing archive at its exit):", jar,
                StartupScenario.RATE));
        StartupScenario startup = new StartupScenario(setup, jar);
        Map<String, List<StartupScenario.Figures>> figures = startup.run();
        out.println();
        out.println(fmt("Startup, medians of %d repetition(s):", options.repetitions()));
        out.println("| variant | runs | first record s | CPU s | first record × bare loop's |");
        out.println("|---|---|---|---|---|");
        figures.forEach((name, runs) -> {
            double first = Report.median(runs, StartupScenario.Figures::firstRecordSeconds);
            String loopName = StartupScenario.loopVariantOf(name);
            List<StartupScenario.Figures> loop = loopName.equals(name) ? null : figures.get(loopName);
            String ratio = loop == null || loop.isEmpty() ? ""
                    : fmt("%.2f", first / Report.median(loop, StartupScenario.Figures::firstRecordSeconds));
            out.println(fmt("| %s | %d | %.2f | %.2f | %s |", name, runs.size(), first,
                    Report.median(runs, StartupScenario.Figures::cpuSeconds), ratio));
        });
        out.println();
        return startup.failures();
    }

    private long preload(BenchSetup setup, Workload workload, List<String> topics, int partitions) {
        long start = System.nanoTime();
        long bytes = workload.preload(setup.source(), topics, partitions, options.records());
        String where = topics.size() == 1 ? topics.get(0) + " (" + partitions + " partitions)"
                : fmt("%d topics %s..%s (%d partitions each)", topics.size(), topics.get(0), topics.get(topics.size() - 1), partitions);
        out.println(fmt("Preloaded %,d records (%,.0f MiB of keys and values) into %s in %.1f s, before any clock starts.",
                options.records(), bytes / 1048576.0, where, (System.nanoTime() - start) / 1e9));
        return bytes;
    }

    private void header(Path logs, ResultsFile results) {
        out.println("kmirror bench: scenario " + options.scenario() + ", " + options.repetitions() + " repetition(s), contenders "
                + options.contenders().stream().map(ContenderSpec::name).collect(Collectors.joining(", ")));
        out.println(fmt("Machine: %d cores, load average %s, Java %s. The brokers (this JVM), the contender and anything else"
                + " on the machine share the cores: expect noise; compare ratios measured side by side.",
                Runtime.getRuntime().availableProcessors(), loadAverage(), System.getProperty("java.version")));
        out.println("How it measures:");
        out.println("- Two single-broker KRaft clusters (source, destination) run in this JVM on loopback; each contender runs in a"
                + " JVM of its own (java -Xmx" + options.xmx()
                + (options.jvmOptions().isEmpty() ? "" : " " + String.join(" ", options.jvmOptions()))
                + " -cp <this class path>; a contender's +jvm.xmx replaces the -Xmx), one at a time, interleaved A B A B,"
                + " each run into fresh destination topics with a fresh consumer group.");
        out.println("- The brokers keep their logs under " + System.getProperty("java.io.tmpdir") + " (java.io.tmpdir). On a disk,"
                + " the kernel's write-back of what they wrote stalls them at random (measured: 50% iowait, the same run 10-34 s);"
                + " java -Djava.io.tmpdir=/dev/shm/kmirror-bench -jar kmirror-demo.jar bench ... keeps them in memory (a tmpfs).");
        out.println("- baseline: one KafkaConsumer -> one KafkaProducer on one thread, same partition number, kafka-clients' defaults,"
                + " one commit at the end; the benchmark creates its destination topics before its JVM starts. kmirror*: the"
                + " library's defaults unless the contender's name adds settings; it creates its destination topics itself"
                + (options.precreateDestination() ? " unless they exist, and here the benchmark created them first." : ", in its time."));
        out.println("- The contender times itself: 'total' runs from its JVM start (RuntimeMXBean) to the moment the destination"
                + " acknowledged the last record (baseline: its producer callbacks; kmirror: its records-mirrored-total metric over JMX; sampled"
                + " every " + Progress.SAMPLE_MILLIS + " ms); kmirror-eos stops the clock after awaitCaughtUp, when the last"
                + " transaction is committed. 'steady' = 80% of the records / time from 10% to 90% acknowledged. 'first rec'"
                + " = JVM start to the first acknowledged record; 'from start' = the same from Mirror.builder() (the bare loop:"
                + " from creating its consumer), without the JVM's own start.");
        out.println("- CPU s = the contender JVM's process CPU time, peak RSS = its VmHWM, both read by the contender at that"
                + " moment; -Xmx" + options.xmx() + " holds throughout, so a finished run shows it fits.");
        out.println("- Latency: a source topic with message.timestamp.type=LogAppendTime, written at the fixed rate while the"
                + " contender runs; the destination broker stamps LogAppendTime too; latency = destination append time - source"
                + " append time per record (one clock: both brokers are in this JVM), read after the run with a read_committed consumer.");
        out.println("Contender output: " + logs + " (kept if a run fails). Results file: " + results.path());
        out.println();
    }

    /** Milliseconds this JVM (the brokers) has spent in garbage collection so far. */
    static long gcMillis() {
        return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(gc -> Math.max(0, gc.getCollectionTime())).sum();
    }

    /** The 1, 5 and 15 minute load averages, or "unknown". */
    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return String.join(" ", fields[0], fields[1], fields[2]);
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
