package io.kmirror.examples.bench;

import java.util.regex.Pattern;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The throughput runs: each contender mirrors the preloaded topic {@value #TOPIC} into fresh
 * destination topics with a fresh group, in its own JVM, repetition by repetition in the order given
 * (A B A B ...), and times itself (see {@link Progress}).
 */
final class ThroughputScenario {

    static final String TOPIC = "bench";

    /** The source topics of {@code count}: {@value #TOPIC} alone, or {@value #TOPIC}-000, -001, ... */
    static List<String> topics(int count) {
        if (count == 1) {
            return List.of(TOPIC);
        }
        List<String> topics = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            topics.add(String.format("%s-%03d", TOPIC, i));
        }
        return topics;
    }

    private final BenchSetup setup;
    private final InterleavedRuns<ThroughputFigures> runs;
    private final long bytes;

    /** Runs on {@code setup}'s clusters, whose source holds {@value #TOPIC} with {@code bytes} key and value bytes. */
    ThroughputScenario(BenchSetup setup, long bytes) {
        this.setup = setup;
        this.runs = new InterleavedRuns<>(setup, "throughput", ThroughputFigures::json,
                (rep, f) -> Report.runLine(rep, setup.options().repetitions(), f));
        this.bytes = bytes;
    }

    /** Runs every contender {@code repetitions} times; returns the figures per contender, in contender order. */
    Map<String, List<ThroughputFigures>> run() throws InterruptedException {
        return runs.run(this::runOnce);
    }

    /** Runs that failed. */
    int failures() {
        return runs.failures();
    }

    private ThroughputFigures runOnce(ContenderSpec contender, int rep) throws InterruptedException {
        BenchOptions options = setup.options();
        int run = setup.nextRun();
        String prefix = "run" + run + ".";
        List<String> sourceTopics = topics(options.topics());
        List<String> destinationTopics = sourceTopics.stream().map(t -> prefix + t).toList();
        ContenderArgs args = setup.args(contender)
                .with(ContenderArgs.TOPIC, sourceTopics.size() == 1 ? Pattern.quote(TOPIC) : Pattern.quote(TOPIC) + "-\\d{3}")
                .with(ContenderArgs.GROUP, "bench-run" + run)
                .with(ContenderArgs.EXPECT, options.records())
                .with(ContenderArgs.PREFIX, prefix);
        if (contender.baseline() || options.precreateDestination()) {
            destinationTopics.forEach(t -> setup.destination().createTopic(t, options.partitions()));
        }
        try {
            Map<String, Object> result;
            try (ContenderProcess process = ContenderProcess.start("run" + run + "-" + contender.baseName(), contender.mainClass(),
                    args.toArgs(), options.contenderJvm(contender), setup.logs())) {
                result = process.awaitResult(Duration.ofSeconds(options.runTimeoutSeconds()));
            }
            long onDestination = Topics.endOffsetSum(setup.destination(), destinationTopics);
            if (onDestination < options.records()) {
                throw new IllegalStateException(contender.name() + " reported all " + options.records()
                        + " records, but the destination topic's end offsets add up to " + onDestination);
            }
            return ThroughputFigures.of(contender.name(), rep, options.records(), bytes, result);
        } finally {
            Topics.delete(setup.destination(), destinationTopics);
        }
    }
}
