package io.kmirror.examples.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Unmatched;

/**
 * The benchmark's settings, from its command line ({@link Flags}): {@code --name value} (or
 * {@code --name=value}) flags, each with a default.
 *
 * @param scenario          {@code throughput} (with the latency runs), {@code scale}, {@code startup}, or {@code all}
 *                          (throughput and scale)
 * @param records           records preloaded for the throughput runs (and the scale runs)
 * @param recordSize        value bytes per record
 * @param partitions        partitions of the throughput and latency topics (of each throughput topic)
 * @param topics            source topics of the throughput runs, the records spread over them
 * @param keys              distinct keys
 * @param headers           headers per record
 * @param repetitions       runs of each contender
 * @param rate              records per second in the latency runs
 * @param latencySeconds    measured seconds of each latency run; 0 skips them
 * @param warmupSeconds     seconds produced before the measured ones in a latency run
 * @param contenders        the contenders, in run order
 * @param scaleContender    the contender of the scale scenario
 * @param scalePartitions   partitions of the scale topic
 * @param xmx               the contenders' {@code -Xmx}
 * @param jvmOptions        more options for the contenders' JVMs (e.g. a collector, a flight recording)
 * @param json              the results file (appended to)
 * @param runTimeoutSeconds how long one contender run may take
 * @param precreateDestination whether kmirror's destination topics are created before its JVM starts, as the
 *                          bare loop's always are
 * @param keepLogs          whether the contenders' output is kept after a successful run too
 * @param startupJdk        a second JDK (25 or later) the startup runs also use, plain and with an AOT cache; null: none
 * @param startupMirrorMaker2 a directory of Kafka's jars with connect-mirror (a Kafka distribution's {@code libs}) from
 *                          which the startup runs also start MirrorMaker 2; null: none
 */
record BenchOptions(String scenario, long records, int recordSize, int partitions, int topics, int keys, int headers, int repetitions,
        int rate, int latencySeconds, int warmupSeconds, List<ContenderSpec> contenders, ContenderSpec scaleContender,
        int scalePartitions, String xmx, List<String> jvmOptions, Path json, int runTimeoutSeconds,
        boolean precreateDestination, boolean keepLogs, @javax.annotation.Nullable Path startupJdk,
        @javax.annotation.Nullable Path startupMirrorMaker2) {

    /**
     * {@code bench}'s command line, each flag with its default and help text; values are read as text and
     * checked by {@link #parse} so that every bad one is named at once. {@link #call()} runs the benchmark.
     */
    @Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 100,
            versionProvider = io.kmirror.examples.DemoMain.Version.class,
            description = {"Runs two embedded Kafka clusters in this JVM and each contender in a JVM of its own,"
                    + " interleaved (A B A B ...), and prints medians. Not a test: run it on a quiet machine and compare ratios."},
            footer = "%nExit codes: 0 every run succeeded, 1 a run failed (the others are still reported), 2 bad arguments.")
    static final class Flags implements Callable<Integer> {
        private final PrintStream out;
        private final PrintStream err;

        @Option(names = "--scenario", paramLabel = "NAME", defaultValue = "throughput", description = "throughput"
                + " (throughput and latency runs), scale (1 vs 2 kmirror processes in one group), startup (java -jar kmirror.jar"
                + " from process start to the first record, plain and with a class-data sharing archive; needs the built kmirror.jar"
                + " beside this jar), or all (throughput and scale; default: ${DEFAULT-VALUE})")
        String scenario;
        @Option(names = "--contenders", paramLabel = "LIST", defaultValue = ContenderSpec.DEFAULTS, description = "comma-separated;"
                + " each is baseline, kmirror, kmirror-eos or kmirror-<n>streams, optionally followed by +key=value producer"
                + " settings, +source.key=value consumer settings, +mirror.offsetCommitIntervalMs=N,"
                + " +mirror.transactionCommitIntervalMs=N, +mirror.maxTransactionRecords=N, +mirror.transactionSlots=N, +mirror.metricsRecordingLevel=INFO,"
                + " +mirror.loopPrevention=false, +mirror.offsetTranslation=false"
                + " (default: ${DEFAULT-VALUE})")
        String contenders;
        @Option(names = "--records", paramLabel = "N", defaultValue = "1000000", description = "records preloaded (default: ${DEFAULT-VALUE})")
        String records;
        @Option(names = "--record-size", paramLabel = "BYTES", defaultValue = "1024", description = "value bytes per record (default: ${DEFAULT-VALUE})")
        String recordSize;
        @Option(names = "--partitions", paramLabel = "N", defaultValue = "8", description = "partitions of the source topics (default: ${DEFAULT-VALUE})")
        String partitions;
        @Option(names = "--topics", paramLabel = "N", defaultValue = "1", description = "source topics of the throughput runs,"
                + " each with --partitions partitions, the records spread over them evenly (default: ${DEFAULT-VALUE})")
        String topics;
        @Option(names = "--keys", paramLabel = "N", defaultValue = "10000", description = "distinct keys (default: ${DEFAULT-VALUE})")
        String keys;
        @Option(names = "--headers", paramLabel = "N", defaultValue = "2", description = "headers per record, 16 bytes each (default: ${DEFAULT-VALUE})")
        String headers;
        @Option(names = "--repetitions", paramLabel = "N", defaultValue = "3", description = "runs per contender (default: ${DEFAULT-VALUE})")
        String repetitions;
        @Option(names = "--rate", paramLabel = "N", defaultValue = "20000", description = "records/s in the latency runs (default: ${DEFAULT-VALUE})")
        String rate;
        @Option(names = "--latency-seconds", paramLabel = "N", defaultValue = "30", description = "measured seconds per latency run; 0 skips them (default: ${DEFAULT-VALUE})")
        String latencySeconds;
        @Option(names = "--warmup-seconds", paramLabel = "N", defaultValue = "5", description = "unmeasured seconds before them (default: ${DEFAULT-VALUE})")
        String warmupSeconds;
        @Option(names = "--xmx", paramLabel = "SIZE", defaultValue = "256m", description = "the contenders' maximum heap (default: ${DEFAULT-VALUE})")
        String xmx;
        @Option(names = "--jvm-options", paramLabel = "'OPTS'", defaultValue = "", description = "more options for the contenders' JVMs, space-separated")
        String jvmOptions;
        @Option(names = "--scale-contender", paramLabel = "SPEC", defaultValue = "kmirror", description = "the contender of the scale scenario (default: ${DEFAULT-VALUE})")
        String scaleContender;
        @Option(names = "--scale-partitions", paramLabel = "N", defaultValue = "16", description = "partitions of the scale scenario's topic (default: ${DEFAULT-VALUE})")
        String scalePartitions;
        @Option(names = "--json", paramLabel = "PATH", defaultValue = "bench-results.jsonl", description = "results file, one JSON line per result, appended (default: ${DEFAULT-VALUE})")
        String json;
        @Option(names = "--run-timeout-seconds", paramLabel = "N", defaultValue = "900", description = "the longest one contender run may take (default: ${DEFAULT-VALUE})")
        String runTimeoutSeconds;
        @Option(names = "--precreate-destination-topics", description = "create kmirror's destination topics too before its"
                + " JVM starts, as the bare loop's always are: its time then leaves out creating them and waiting for their"
                + " partitions' leaders (seconds at thousands of partitions)")
        boolean precreateDestination;
        @Option(names = "--keep-logs", description = "keep the contenders' output (one .out and .err file per run) after"
                + " a successful benchmark too; it is always kept when a run fails")
        boolean keepLogs;
        @Option(names = "--startup-jdk", paramLabel = "DIR", description = "the startup runs also start kmirror.jar with this"
                + " JDK (25 or later), plain and with an ahead-of-time cache that a training run wrote"
                + " (-XX:AOTCacheOutput, -XX:AOTCache; JEP 483 and 514), e.g. /usr/lib/jvm/temurin-25-jdk-amd64")
        String startupJdk;
        @Option(names = "--startup-mirrormaker2", paramLabel = "DIR", description = "the startup runs also start MirrorMaker 2"
                + " (dedicated mode, org.apache.kafka.connect.mirror.MirrorMaker, default JVM options) with the jars in this"
                + " directory, e.g. a Kafka distribution's libs/")
        String startupMirrorMaker2;
        @Unmatched
        List<String> unmatched = new ArrayList<>();

        /** Flags that run the benchmark printing to {@code out} and {@code err}. */
        Flags(PrintStream out, PrintStream err) {
            this.out = out;
            this.err = err;
        }

        /** Checks the flags and runs the benchmark. */
        @Override
        public Integer call() {
            BenchOptions options;
            try {
                options = of(this, new ArrayList<>());
            } catch (IllegalArgumentException e) {
                err.println("kmirror bench: " + e.getMessage().replace(System.lineSeparator(), System.lineSeparator() + "kmirror bench: "));
                err.println("kmirror bench: see --help");
                return 2;
            }
            return Bench.execute(options, out, err);
        }
    }

    /**
     * Reads the flags.
     *
     * @throws IllegalArgumentException naming every bad flag, one per line
     */
    static BenchOptions parse(String[] args) {
        Flags flags = new Flags(System.out, System.err);
        List<String> problems = new ArrayList<>();
        try {
            new CommandLine(flags).setUnmatchedArgumentsAllowed(true).parseArgs(args);
        } catch (ParameterException e) {
            problems.add(e.getMessage());
        }
        return of(flags, problems);
    }

    private static BenchOptions of(Flags f, List<String> problems) {
        for (String arg : f.unmatched) {
            problems.add(arg.startsWith("--") ? "unknown flag " + arg.split("=", 2)[0] + " (see --help)"
                    : "unexpected argument '" + arg + "'");
        }
        Map<String, String> given = new HashMap<>();
        given.put("records", f.records);
        given.put("record-size", f.recordSize);
        given.put("partitions", f.partitions);
        given.put("topics", f.topics);
        given.put("keys", f.keys);
        given.put("headers", f.headers);
        given.put("repetitions", f.repetitions);
        given.put("rate", f.rate);
        given.put("latency-seconds", f.latencySeconds);
        given.put("warmup-seconds", f.warmupSeconds);
        given.put("scale-partitions", f.scalePartitions);
        given.put("run-timeout-seconds", f.runTimeoutSeconds);
        Parser p = new Parser(given, problems);
        String scenario = f.scenario;
        if (!List.of("throughput", "scale", "startup", "all").contains(scenario)) {
            problems.add("--scenario must be throughput, scale, startup or all, not '" + scenario + "'");
        }
        List<ContenderSpec> contenders = new ArrayList<>();
        for (String spec : f.contenders.split(",")) {
            if (!spec.isBlank()) {
                p.contender("contenders", spec).ifPresent(contenders::add);
            }
        }
        if (contenders.isEmpty()) {
            problems.add("--contenders names none");
        }
        ContenderSpec scale = p.contender("scale-contender", f.scaleContender).orElse(null);
        if (scale != null && scale.baseline()) {
            problems.add("--scale-contender must be a kmirror contender");
        }
        Path startupJdk = f.startupJdk == null ? null : Path.of(f.startupJdk);
        if (startupJdk != null && !Files.isExecutable(startupJdk.resolve("bin").resolve("java"))) {
            problems.add("--startup-jdk must be a JDK's directory (one with bin/java), not '" + f.startupJdk + "'");
        }
        Path startupMirrorMaker2 = f.startupMirrorMaker2 == null ? null : Path.of(f.startupMirrorMaker2);
        if (startupMirrorMaker2 != null && !holdsConnectMirror(startupMirrorMaker2)) {
            problems.add("--startup-mirrormaker2 must be a directory of Kafka's jars holding connect-mirror-<version>.jar"
                    + " (a Kafka distribution's libs/), not '" + f.startupMirrorMaker2 + "'");
        }
        String xmx = f.xmx;
        if (!xmx.matches("[0-9]+[kKmMgG]?")) {
            problems.add("--xmx must be a heap size like 256m, not '" + xmx + "'");
        }
        BenchOptions options = new BenchOptions(scenario, p.number("records", 1, Long.MAX_VALUE),
                (int) p.number("record-size", 8, 1 << 20), (int) p.number("partitions", 1, 10_000),
                (int) p.number("topics", 1, 10_000),
                (int) p.number("keys", 1, 10_000_000), (int) p.number("headers", 0, 100),
                (int) p.number("repetitions", 1, 1000), (int) p.number("rate", 1, 1_000_000),
                (int) p.number("latency-seconds", 0, 3600), (int) p.number("warmup-seconds", 0, 3600),
                List.copyOf(contenders), scale, (int) p.number("scale-partitions", 2, 10_000), xmx,
                List.of(f.jvmOptions.trim().split("\\s+")).stream().filter(o -> !o.isEmpty()).toList(),
                Path.of(f.json), (int) p.number("run-timeout-seconds", 10, 86_400), f.precreateDestination,
                f.keepLogs, startupJdk, startupMirrorMaker2);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join(System.lineSeparator(), problems));
        }
        return options;
    }

    /** Whether {@code dir} is a directory holding a {@code connect-mirror-<version>.jar}. */
    private static boolean holdsConnectMirror(Path dir) {
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().matches("connect-mirror-[0-9].*\\.jar"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** The contenders' JVM options: the heap limit, then {@link #jvmOptions()}. */
    List<String> contenderJvm(ContenderSpec contender) {
        List<String> jvm = new ArrayList<>();
        jvm.add("-Xmx" + (contender.xmx() != null ? contender.xmx() : xmx));
        jvm.addAll(jvmOptions);
        return jvm;
    }

    /** Whether the throughput and latency runs are on. */
    boolean throughputScenario() {
        return scenario.equals("throughput") || scenario.equals("all");
    }

    /** Whether the scale runs are on. */
    boolean scaleScenario() {
        return scenario.equals("scale") || scenario.equals("all");
    }

    /** Whether the startup runs are on. */
    boolean startupScenario() {
        return scenario.equals("startup");
    }

    /** The workload settings, as results-file fields. */
    Map<String, Object> workloadJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("records", records);
        json.put("recordSize", recordSize);
        json.put("partitions", partitions);
        if (topics > 1) {
            json.put("topics", topics);
        }
        json.put("keys", keys);
        json.put("headers", headers);
        json.put("xmx", xmx);
        if (!jvmOptions.isEmpty()) {
            json.put("jvmOptions", String.join(" ", jvmOptions));
        }
        return json;
    }

    /** Reads flag values, collecting problems. */
    private record Parser(Map<String, String> given, List<String> problems) {
        long number(String name, long min, long max) {
            String value = given.get(name).replace("_", "");
            try {
                long n = Long.parseLong(value);
                if (n < min || n > max) {
                    problems.add("--" + name + " must be between " + min + " and " + max + ", not " + n);
                    return min;
                }
                return n;
            } catch (NumberFormatException e) {
                problems.add("--" + name + " must be a whole number, not '" + value + "'");
                return min;
            }
        }

        java.util.Optional<ContenderSpec> contender(String flag, String spec) {
            try {
                return java.util.Optional.of(ContenderSpec.parse(spec));
            } catch (IllegalArgumentException e) {
                problems.add("--" + flag + ": " + e.getMessage());
                return java.util.Optional.empty();
            }
        }
    }
}
