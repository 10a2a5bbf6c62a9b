package io.kmirror.examples.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's command line: {@code --name value} (or {@code --name=value}) flags, each with a
 * default. {@link #USAGE} is the help text.
 *
 * @param scenario          {@code throughput} (with the latency runs), {@code scale}, or {@code all}
 * @param records           records preloaded for the throughput runs (and the scale runs)
 * @param recordSize        value bytes per record
 * @param partitions        partitions of the throughput and latency topics
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
 */
record BenchOptions(String scenario, long records, int recordSize, int partitions, int keys, int headers, int repetitions,
        int rate, int latencySeconds, int warmupSeconds, List<ContenderSpec> contenders, ContenderSpec scaleContender,
        int scalePartitions, String xmx, List<String> jvmOptions, Path json, int runTimeoutSeconds) {

    static final String USAGE = String.join(System.lineSeparator(),
            "Usage: kmirror bench [--name value]...",
            "Runs two embedded Kafka clusters in this JVM and each contender in a JVM of its own, interleaved",
            "(A B A B ...), and prints medians. Not a test: run it on a quiet machine and compare ratios.",
            "",
            "  --scenario NAME           throughput (throughput and latency runs), scale (1 vs 2 kmirror",
            "                            processes in one group), or all                 [throughput]",
            "  --contenders LIST         comma-separated; each is baseline, kmirror, kmirror-eos or",
            "                            kmirror-<n>streams, optionally followed by +key=value producer",
            "                            settings, +source.key=value consumer settings,",
            "                            +mirror.offsetCommitIntervalMs=N, +mirror.transactionCommitIntervalMs=N,",
            "                            +mirror.maxTransactionRecords=N, +mirror.metricsRecordingLevel=INFO",
            "                            [" + ContenderSpec.DEFAULTS + "]",
            "  --records N               records preloaded                                [1000000]",
            "  --record-size BYTES       value bytes per record                           [1024]",
            "  --partitions N            partitions of the source topics                  [8]",
            "  --keys N                  distinct keys                                    [10000]",
            "  --headers N               headers per record (16 bytes each)               [2]",
            "  --repetitions N           runs per contender                               [3]",
            "  --rate N                  records/s in the latency runs                    [20000]",
            "  --latency-seconds N       measured seconds per latency run; 0 skips them  [30]",
            "  --warmup-seconds N        unmeasured seconds before them                   [5]",
            "  --xmx SIZE                the contenders' maximum heap                     [256m]",
            "  --jvm-options 'OPTS'      more options for the contenders' JVMs, space-separated []",
            "  --scale-contender SPEC    the contender of the scale scenario              [kmirror]",
            "  --scale-partitions N      partitions of the scale scenario's topic         [16]",
            "  --json PATH               results file, one JSON line per result, appended [bench-results.jsonl]",
            "  --run-timeout-seconds N   the longest one contender run may take           [900]",
            "  --help                    this text");

    private static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("scenario", "throughput");
        d.put("contenders", ContenderSpec.DEFAULTS);
        d.put("records", "1000000");
        d.put("record-size", "1024");
        d.put("partitions", "8");
        d.put("keys", "10000");
        d.put("headers", "2");
        d.put("repetitions", "3");
        d.put("rate", "20000");
        d.put("latency-seconds", "30");
        d.put("warmup-seconds", "5");
        d.put("xmx", "256m");
        d.put("jvm-options", "");
        d.put("scale-contender", "kmirror");
        d.put("scale-partitions", "16");
        d.put("json", "bench-results.jsonl");
        d.put("run-timeout-seconds", "900");
        return d;
    }

    /**
     * Reads the flags.
     *
     * @throws IllegalArgumentException naming every bad flag, one per line
     */
    static BenchOptions parse(String[] args) {
        Map<String, String> given = new HashMap<>(DEFAULTS);
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                problems.add("unexpected argument '" + arg + "'");
                continue;
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                problems.add("--" + name + " needs a value");
                continue;
            }
            if (!DEFAULTS.containsKey(name)) {
                problems.add("unknown flag --" + name + " (see --help)");
                continue;
            }
            given.put(name, value);
        }
        Parser p = new Parser(given, problems);
        String scenario = given.get("scenario");
        if (!List.of("throughput", "scale", "all").contains(scenario)) {
            problems.add("--scenario must be throughput, scale or all, not '" + scenario + "'");
        }
        List<ContenderSpec> contenders = new ArrayList<>();
        for (String spec : given.get("contenders").split(",")) {
            if (!spec.isBlank()) {
                p.contender("contenders", spec).ifPresent(contenders::add);
            }
        }
        if (contenders.isEmpty()) {
            problems.add("--contenders names none");
        }
        ContenderSpec scale = p.contender("scale-contender", given.get("scale-contender")).orElse(null);
        if (scale != null && scale.baseline()) {
            problems.add("--scale-contender must be a kmirror contender");
        }
        String xmx = given.get("xmx");
        if (!xmx.matches("[0-9]+[kKmMgG]?")) {
            problems.add("--xmx must be a heap size like 256m, not '" + xmx + "'");
        }
        BenchOptions options = new BenchOptions(scenario, p.number("records", 1, Long.MAX_VALUE),
                (int) p.number("record-size", 8, 1 << 20), (int) p.number("partitions", 1, 10_000),
                (int) p.number("keys", 1, 10_000_000), (int) p.number("headers", 0, 100),
                (int) p.number("repetitions", 1, 1000), (int) p.number("rate", 1, 1_000_000),
                (int) p.number("latency-seconds", 0, 3600), (int) p.number("warmup-seconds", 0, 3600),
                List.copyOf(contenders), scale, (int) p.number("scale-partitions", 2, 10_000), xmx,
                List.of(given.get("jvm-options").trim().split("\\s+")).stream().filter(o -> !o.isEmpty()).toList(),
                Path.of(given.get("json")), (int) p.number("run-timeout-seconds", 10, 86_400));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join(System.lineSeparator(), problems));
        }
        return options;
    }

    /** The contenders' JVM options: the heap limit, then {@link #jvmOptions()}. */
    List<String> contenderJvm() {
        List<String> jvm = new ArrayList<>();
        jvm.add("-Xmx" + xmx);
        jvm.addAll(jvmOptions);
        return jvm;
    }

    /** Whether the throughput and latency runs are on. */
    boolean throughputScenario() {
        return !scenario.equals("scale");
    }

    /** Whether the scale runs are on. */
    boolean scaleScenario() {
        return !scenario.equals("throughput");
    }

    /** The workload settings, as results-file fields. */
    Map<String, Object> workloadJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("records", records);
        json.put("recordSize", recordSize);
        json.put("partitions", partitions);
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
