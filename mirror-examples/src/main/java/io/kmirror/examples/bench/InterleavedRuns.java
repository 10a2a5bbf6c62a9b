package io.kmirror.examples.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Runs every contender repetition by repetition in the order given (A B A B ...); prints a line per
 * run and appends it to the results file with the machine's noise beside it (the load average before
 * the run, the brokers' collection time during it). A run that throws is counted and reported, and the
 * others go on.
 *
 * @param <F> one run's figures
 */
final class InterleavedRuns<F> {

    /** One run of one contender. */
    @FunctionalInterface
    interface Run<F> {
        F once(ContenderSpec contender, int repetition) throws InterruptedException;
    }

    private final BenchSetup setup;
    private final String scenario;
    private final Function<F, Map<String, Object>> json;
    private final BiFunction<Integer, F, String> line;
    private int failures;

    /**
     * @param scenario the results file's {@code scenario} field
     * @param json     a run's results-file fields
     * @param line     a run's printed line, given its repetition
     */
    InterleavedRuns(BenchSetup setup, String scenario, Function<F, Map<String, Object>> json, BiFunction<Integer, F, String> line) {
        this.setup = setup;
        this.scenario = scenario;
        this.json = json;
        this.line = line;
    }

    /** Runs every contender {@code repetitions} times; returns the figures per contender, in contender order. */
    Map<String, List<F>> run(Run<F> run) throws InterruptedException {
        BenchOptions options = setup.options();
        Map<String, List<F>> figures = new LinkedHashMap<>();
        options.contenders().forEach(c -> figures.put(c.name(), new ArrayList<>()));
        for (int rep = 1; rep <= options.repetitions(); rep++) {
            for (ContenderSpec contender : options.contenders()) {
                String load = Bench.loadAverage();
                long brokersGc = Bench.gcMillis();
                try {
                    F f = run.once(contender, rep);
                    figures.get(contender.name()).add(f);
                    brokersGc = Bench.gcMillis() - brokersGc;
                    Map<String, Object> fields = json.apply(f);
                    fields.put("loadAverageBefore", load);
                    fields.put("brokersGcMs", brokersGc);
                    setup.results().append(scenario, "run", fields);
                    setup.out().println(line.apply(rep, f) + Report.noise(load, brokersGc));
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
}
