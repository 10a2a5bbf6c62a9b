package io.kmirror.examples.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The throughput runs: each contender mirrors the preloaded topic {@value #TOPIC} into fresh
 * destination topics with a fresh group, in its own JVM, repetition by repetition in the order given
 * (A B A B ...), and times itself (see {@link Progress}).
 */
final class ThroughputScenario {

    static final String TOPIC = "bench";

    private final BenchSetup setup;
    private final long bytes;
    private final Map<String, List<ThroughputFigures>> figures = new LinkedHashMap<>();
    private int failures;

    /** Runs on {@code setup}'s clusters, whose source holds {@value #TOPIC} with {@code bytes} key and value bytes. */
    ThroughputScenario(BenchSetup setup, long bytes) {
        this.setup = setup;
        this.bytes = bytes;
    }

    /** Runs every contender {@code repetitions} times; returns the figures per contender, in contender order. */
    Map<String, List<ThroughputFigures>> run() throws InterruptedException {
        BenchOptions options = setup.options();
        options.contenders().forEach(c -> figures.put(c.name(), new ArrayList<>()));
        for (int rep = 1; rep <= options.repetitions(); rep++) {
            for (ContenderSpec contender : options.contenders()) {
                String load = Bench.loadAverage();
                long brokersGc = Bench.gcMillis();
                try {
                    ThroughputFigures f = runOnce(contender, rep);
                    figures.get(contender.name()).add(f);
                    brokersGc = Bench.gcMillis() - brokersGc;
                    setup.results().append("throughput", "run", withNoise(f.json(), load, brokersGc));
                    setup.out().println(Report.runLine(rep, options.repetitions(), f) + Report.noise(load, brokersGc));
                } catch (RuntimeException e) {
                    failures++;
                    setup.out().println(Report.failureLine(rep, options.repetitions(), contender.name(), e));
                }
                setup.out().flush();
            }
        }
        return figures;
    }

    /** Runs that failed. */
    int failures() {
        return failures;
    }

    private ThroughputFigures runOnce(ContenderSpec contender, int rep) throws InterruptedException {
        BenchOptions options = setup.options();
        int run = setup.nextRun();
        String prefix = "run" + run + ".";
        String destinationTopic = prefix + TOPIC;
        ContenderArgs args = setup.args(contender)
                .with(ContenderArgs.TOPIC, TOPIC)
                .with(ContenderArgs.GROUP, "bench-run" + run)
                .with(ContenderArgs.EXPECT, options.records());
        if (contender.baseline()) {
            setup.destination().createTopic(destinationTopic, options.partitions());
            args.with(ContenderArgs.DESTINATION_TOPIC, destinationTopic);
        } else {
            args.with(ContenderArgs.PREFIX, prefix);
        }
        try {
            Map<String, Object> result;
            try (ContenderProcess process = ContenderProcess.start("run" + run + "-" + contender.baseName(), contender.mainClass(),
                    args.toArgs(), options.contenderJvm(), setup.logs())) {
                result = process.awaitResult(Duration.ofSeconds(options.runTimeoutSeconds()));
            }
            long onDestination = Topics.endOffsetSum(setup.destination(), destinationTopic);
            if (onDestination < options.records()) {
                throw new IllegalStateException(contender.name() + " reported all " + options.records()
                        + " records, but the destination topic's end offsets add up to " + onDestination);
            }
            return ThroughputFigures.of(contender.name(), rep, options.records(), bytes, result);
        } finally {
            Topics.delete(setup.destination(), List.of(destinationTopic));
        }
    }

    private static Map<String, Object> withNoise(Map<String, Object> json, String load, long brokersGcMs) {
        json.put("loadAverageBefore", load);
        json.put("brokersGcMs", brokersGcMs);
        return json;
    }
}
