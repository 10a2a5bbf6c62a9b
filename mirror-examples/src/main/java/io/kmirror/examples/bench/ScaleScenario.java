package io.kmirror.examples.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * "Cost grows linearly": one kmirror JVM against two in one group, on a preloaded topic of
 * {@code --scale-partitions} partitions, interleaved. The JVMs do not know their share, so they run
 * until the orchestrator sees every record on the destination (end offsets) and closes their stdin;
 * each reports its records, CPU and memory, and the time of its last acknowledged record.
 */
final class ScaleScenario {

    static final String TOPIC = "scale";
    private static final int[] PROCESSES = {1, 2};

    private final BenchSetup setup;
    private final Map<Integer, List<ScaleFigures>> figures = new LinkedHashMap<>();
    private int failures;

    ScaleScenario(BenchSetup setup) {
        this.setup = setup;
    }

    /** Runs 1 and 2 JVMs {@code repetitions} times each; returns the figures per JVM count. */
    Map<Integer, List<ScaleFigures>> run() throws InterruptedException {
        BenchOptions options = setup.options();
        for (int processes : PROCESSES) {
            figures.put(processes, new ArrayList<>());
        }
        for (int rep = 1; rep <= options.repetitions(); rep++) {
            for (int processes : PROCESSES) {
                String name = processes + " x " + options.scaleContender().name();
                String load = Bench.loadAverage();
                long brokersGc = Bench.gcMillis();
                try {
                    ScaleFigures f = runOnce(processes, rep);
                    figures.get(processes).add(f);
                    brokersGc = Bench.gcMillis() - brokersGc;
                    Map<String, Object> json = f.json();
                    json.put("loadAverageBefore", load);
                    json.put("brokersGcMs", brokersGc);
                    setup.results().append("scale", "run", json);
                    setup.out().println(Report.runLine(rep, options.repetitions(), name, f) + Report.noise(load, brokersGc));
                } catch (RuntimeException e) {
                    failures++;
                    setup.out().println(Report.failureLine(rep, options.repetitions(), name, e));
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

    private ScaleFigures runOnce(int processes, int rep) throws InterruptedException {
        BenchOptions options = setup.options();
        int run = setup.nextRun();
        String prefix = "run" + run + ".";
        Duration timeout = Duration.ofSeconds(options.runTimeoutSeconds());
        ContenderSpec contender = options.scaleContender();
        List<ContenderProcess> started = new ArrayList<>();
        try {
            for (int i = 0; i < processes; i++) {
                ContenderArgs args = setup.args(contender)
                        .with(ContenderArgs.TOPIC, TOPIC)
                        .with(ContenderArgs.GROUP, "bench-run" + run)
                        .with(ContenderArgs.PREFIX, prefix);
                started.add(ContenderProcess.start("run" + run + "-scale-" + (i + 1) + "of" + processes, contender.mainClass(),
                        args.toArgs(), options.contenderJvm(contender), setup.logs()));
            }
            if (!Topics.awaitRecords(setup.destination(), prefix + TOPIC, options.records(), Duration.ZERO, timeout)) {
                throw new IllegalStateException(processes + " mirror(s) did not mirror all " + options.records()
                        + " records within " + timeout);
            }
            started.forEach(ContenderProcess::stop);
            List<Map<String, Object>> results = new ArrayList<>();
            for (ContenderProcess process : started) {
                results.add(process.awaitResult(timeout));
            }
            return ScaleFigures.of(rep, options.records(), results);
        } finally {
            started.forEach(ContenderProcess::close);
            Topics.delete(setup.destination(), List.of(prefix + TOPIC));
        }
    }
}
