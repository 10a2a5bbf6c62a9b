package io.kmirror.examples.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The fixed-rate runs: per run a fresh source topic with {@code LogAppendTime}; the contender starts
 * in its own JVM, and once it is consuming the {@link LatencyProbe} writes at the fixed rate while it
 * mirrors; when the destination holds every record (and has been quiet for a second) the contender
 * is stopped and the latencies are read from both sides' timestamps.
 */
final class LatencyScenario {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration QUIET = Duration.ofSeconds(1);

    private final BenchSetup setup;
    private final InterleavedRuns<LatencyFigures> runs;
    private final Workload workload;

    LatencyScenario(BenchSetup setup, Workload workload) {
        this.setup = setup;
        this.runs = new InterleavedRuns<>(setup, "latency", LatencyFigures::json,
                (rep, f) -> Report.runLine(rep, setup.options().repetitions(), f));
        this.workload = workload;
    }

    /** Runs every contender {@code repetitions} times; returns the figures per contender, in contender order. */
    Map<String, List<LatencyFigures>> run() throws InterruptedException {
        return runs.run(this::runOnce);
    }

    /** Runs that failed. */
    int failures() {
        return runs.failures();
    }

    private LatencyFigures runOnce(ContenderSpec contender, int rep) throws InterruptedException {
        BenchOptions options = setup.options();
        int run = setup.nextRun();
        String topic = "latency" + run;
        String prefix = "run" + run + ".";
        String destinationTopic = prefix + topic;
        Duration timeout = Duration.ofSeconds(options.runTimeoutSeconds());
        setup.source().createTopic(topic, options.partitions(), Map.of("message.timestamp.type", "LogAppendTime"));
        ContenderArgs args = setup.args(contender)
                .with(ContenderArgs.TOPIC, java.util.regex.Pattern.quote(topic))
                .with(ContenderArgs.GROUP, "bench-run" + run)
                .with(ContenderArgs.PREFIX, prefix);
        if (contender.baseline()) {
            setup.destination().createTopic(destinationTopic, options.partitions());
        }
        LatencyProbe probe = new LatencyProbe(workload, options.rate(), options.warmupSeconds(), options.latencySeconds());
        try {
            Map<String, Object> result;
            try (ContenderProcess process = ContenderProcess.start("run" + run + "-" + contender.baseName() + "-latency",
                    contender.mainClass(), args.toArgs(), options.contenderJvm(contender), setup.logs())) {
                process.awaitReady(READY_TIMEOUT);
                probe.produce(setup.source(), topic);
                if (!Topics.awaitRecords(setup.destination(), destinationTopic, probe.records(), QUIET, timeout)) {
                    throw new IllegalStateException(contender.name() + " did not mirror all " + probe.records()
                            + " records within " + timeout);
                }
                process.stop();
                result = process.awaitResult(timeout);
            }
            return probe.measure(setup.destination(), destinationTopic, contender.name(), rep,
                    ThroughputFigures.number(result, "cpuMs") / 1000.0, timeout);
        } finally {
            Topics.delete(setup.destination(), List.of(destinationTopic));
            Topics.delete(setup.source(), List.of(topic));
        }
    }
}
