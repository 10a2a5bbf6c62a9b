package io.kmirror.examples.bench;

import io.kmirror.testkit.EmbeddedKafkaCluster;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every scenario of one {@code bench} invocation shares.
 *
 * @param options     the flags
 * @param source      the source cluster
 * @param destination the destination cluster (its topics stamp {@code LogAppendTime})
 * @param logs        where the contenders' output goes
 * @param results     the results file
 * @param out         where progress and tables are printed
 * @param runs        numbers the runs, so each gets fresh topic and group names
 */
record BenchSetup(BenchOptions options, EmbeddedKafkaCluster source, EmbeddedKafkaCluster destination, Path logs,
        ResultsFile results, PrintStream out, AtomicInteger runs) {

    /** A number for a new run. */
    int nextRun() {
        return runs.incrementAndGet();
    }

    /** The base of a contender's JVM arguments. */
    ContenderArgs args(ContenderSpec contender) {
        return contender.args(source.bootstrapServers(), destination.bootstrapServers());
    }
}
