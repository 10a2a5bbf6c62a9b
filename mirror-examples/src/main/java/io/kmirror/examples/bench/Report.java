package io.kmirror.examples.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The benchmark's text: one line per run as it ends, and the tables of medians with their ratios
 * (each ratio is a ratio of medians).
 */
final class Report {

    private static final String BASELINE = "baseline";
    private static final String KMIRROR = "kmirror";
    private static final String EOS = "kmirror-eos";

    private Report() {
    }

    static String runLine(int rep, int reps, ThroughputFigures f) {
        return fmt("  [%d/%d] %-28s %7.2f s %,10.0f rec/s %7.1f MiB/s  steady %,10.0f rec/s  first %.2f s (%.2f s after start)  CPU %6.1f s  RSS %4.0f MiB  heap %d MiB  threads %d  GC %,d ms",
                rep, reps, f.contender(), f.totalSeconds(), f.recordsPerSecond(), f.mibPerSecond(), f.steadyRecordsPerSecond(),
                f.firstRecordSeconds(), f.startupSeconds(), f.cpuSeconds(), f.peakRssMiB(), f.peakHeapMiB(), f.peakThreads(), f.gcMs());
    }

    static String runLine(int rep, int reps, LatencyFigures f) {
        return fmt("  [%d/%d] %-28s latency p50 %d ms  p99 %d ms  p99.9 %d ms  max %d ms  seconds over 50 ms %s  (%,d measured, %d missing, %d duplicates, %,.0f rec/s written)",
                rep, reps, f.contender(), f.p50Ms(), f.p99Ms(), f.p999Ms(), f.maxMs(), f.secondsAbove(50), f.measured(), f.missing(),
                f.duplicates(), f.achievedRate());
    }

    static String runLine(int rep, int reps, String name, ScaleFigures f) {
        return fmt("  [%d/%d] %-28s %7.2f s %,10.0f rec/s  CPU %6.1f s  records each %s  RSS each %s MiB",
                rep, reps, name, f.totalSeconds(), f.recordsPerSecond(), f.cpuSeconds(), f.recordsEach(),
                f.peakRssMiBEach().stream().map(v -> fmt("%.0f", v)).collect(Collectors.toList()));
    }

    /** What else was going on during a run: the load average before it, the brokers' garbage collection during it. */
    static String noise(String load, long brokersGcMs) {
        return fmt("  (load %s; brokers' GC %,d ms)", load, brokersGcMs);
    }

    static String failureLine(int rep, int reps, String name, Exception e) {
        return fmt("  [%d/%d] %-28s FAILED: %s", rep, reps, name, e.getMessage());
    }

    /** The runs of {@code baseline}, else of the first contender that is a variant of it, else none. */
    private static List<ThroughputFigures> baseline(Map<String, List<ThroughputFigures>> figures) {
        if (figures.containsKey(BASELINE)) {
            return figures.get(BASELINE);
        }
        return figures.entrySet().stream().filter(e -> e.getKey().startsWith(BASELINE + "+")).map(Map.Entry::getValue)
                .findFirst().orElse(List.of());
    }

    /** The medians of each contender, with ratios to {@code baseline} (or the first variant of it named). */
    static String throughputTable(Map<String, List<ThroughputFigures>> figures) {
        List<ThroughputFigures> base = baseline(figures);
        double baseRate = median(base, ThroughputFigures::recordsPerSecond);
        double baseSteady = median(base, ThroughputFigures::steadyRecordsPerSecond);
        double baseCpu = median(base, ThroughputFigures::cpuMsPerThousand);
        StringBuilder t = new StringBuilder();
        t.append(fmt("| %-28s | runs | total s | records/s | MiB/s | steady rec/s | x baseline | x baseline steady | first rec s | from start s | CPU s | CPU/rec x baseline | peak RSS MiB | peak heap MiB | peak threads | GC ms |%n",
                "contender"));
        t.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|").append(System.lineSeparator());
        figures.forEach((name, runs) -> {
            if (runs.isEmpty()) {
                t.append(fmt("| %-28s | 0 | failed |  |  |  |  |  |  |  |  |  |  |  |  |  |%n", name));
                return;
            }
            double rate = median(runs, ThroughputFigures::recordsPerSecond);
            double steady = median(runs, ThroughputFigures::steadyRecordsPerSecond);
            t.append(fmt("| %-28s | %d | %.2f | %,.0f | %.1f | %,.0f | %s | %s | %.2f | %.2f | %.1f | %s | %.0f | %.0f | %.0f | %,.0f |%n",
                    name, runs.size(), median(runs, ThroughputFigures::totalSeconds), rate,
                    median(runs, ThroughputFigures::mibPerSecond), steady, ratio(rate, baseRate), ratio(steady, baseSteady),
                    median(runs, ThroughputFigures::firstRecordSeconds), median(runs, ThroughputFigures::startupSeconds),
                    median(runs, ThroughputFigures::cpuSeconds),
                    ratio(median(runs, ThroughputFigures::cpuMsPerThousand), baseCpu),
                    median(runs, ThroughputFigures::peakRssMiB), median(runs, f -> f.peakHeapMiB()),
                    median(runs, f -> f.peakThreads()), median(runs, f -> f.gcMs())));
        });
        List<ThroughputFigures> alo = figures.getOrDefault(KMIRROR, List.of());
        List<ThroughputFigures> eos = figures.getOrDefault(EOS, List.of());
        if (!alo.isEmpty() && !eos.isEmpty()) {
            t.append(fmt("%nkmirror-eos / kmirror: %s total, %s steady%n",
                    ratio(median(eos, ThroughputFigures::recordsPerSecond), median(alo, ThroughputFigures::recordsPerSecond)),
                    ratio(median(eos, ThroughputFigures::steadyRecordsPerSecond), median(alo, ThroughputFigures::steadyRecordsPerSecond))));
        }
        return t.toString();
    }

    /** The median figures of each contender, for the results file. */
    static List<Map<String, Object>> throughputMedians(Map<String, List<ThroughputFigures>> figures) {
        List<Map<String, Object>> lines = new ArrayList<>();
        double baseRate = median(baseline(figures), ThroughputFigures::recordsPerSecond);
        figures.forEach((name, runs) -> {
            if (runs.isEmpty()) {
                return;
            }
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("contender", name);
            line.put("runs", runs.size());
            line.put("totalSeconds", median(runs, ThroughputFigures::totalSeconds));
            line.put("recordsPerSecond", median(runs, ThroughputFigures::recordsPerSecond));
            line.put("mibPerSecond", median(runs, ThroughputFigures::mibPerSecond));
            line.put("steadyRecordsPerSecond", median(runs, ThroughputFigures::steadyRecordsPerSecond));
            line.put("ratioToBaseline", median(runs, ThroughputFigures::recordsPerSecond) / baseRate);
            line.put("firstRecordSeconds", median(runs, ThroughputFigures::firstRecordSeconds));
            line.put("startupSeconds", median(runs, ThroughputFigures::startupSeconds));
            line.put("cpuSeconds", median(runs, ThroughputFigures::cpuSeconds));
            line.put("peakRssMiB", median(runs, ThroughputFigures::peakRssMiB));
            line.put("peakHeapMiB", median(runs, f -> f.peakHeapMiB()));
            line.put("peakThreads", median(runs, f -> f.peakThreads()));
            lines.add(line);
        });
        return lines;
    }

    /** The median latencies of each contender. */
    static String latencyTable(Map<String, List<LatencyFigures>> figures) {
        StringBuilder t = new StringBuilder();
        t.append(fmt("| %-28s | runs | p50 ms | p99 ms | p99.9 ms | max ms | worst max ms | missing | duplicates | written rec/s |%n", "contender"));
        t.append("|---|---|---|---|---|---|---|---|---|---|").append(System.lineSeparator());
        figures.forEach((name, runs) -> {
            if (runs.isEmpty()) {
                t.append(fmt("| %-28s | 0 | failed |  |  |  |  |  |  |  |%n", name));
                return;
            }
            t.append(fmt("| %-28s | %d | %.0f | %.0f | %.0f | %.0f | %d | %d | %d | %,.0f |%n", name, runs.size(),
                    median(runs, f -> f.p50Ms()), median(runs, f -> f.p99Ms()), median(runs, f -> f.p999Ms()),
                    median(runs, f -> f.maxMs()), runs.stream().mapToLong(LatencyFigures::maxMs).max().orElse(-1),
                    runs.stream().mapToLong(LatencyFigures::missing).sum(), runs.stream().mapToLong(LatencyFigures::duplicates).sum(),
                    median(runs, LatencyFigures::achievedRate)));
        });
        return t.toString();
    }

    /** The median latencies of each contender, for the results file. */
    static List<Map<String, Object>> latencyMedians(Map<String, List<LatencyFigures>> figures) {
        List<Map<String, Object>> lines = new ArrayList<>();
        figures.forEach((name, runs) -> {
            if (runs.isEmpty()) {
                return;
            }
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("contender", name);
            line.put("runs", runs.size());
            line.put("p50Ms", median(runs, f -> f.p50Ms()));
            line.put("p99Ms", median(runs, f -> f.p99Ms()));
            line.put("p999Ms", median(runs, f -> f.p999Ms()));
            line.put("maxMs", median(runs, f -> f.maxMs()));
            lines.add(line);
        });
        return lines;
    }

    /** One JVM against two, with the ratio of their throughputs. */
    static String scaleTable(Map<Integer, List<ScaleFigures>> figures, String contender) {
        double one = median(figures.getOrDefault(1, List.of()), ScaleFigures::recordsPerSecond);
        StringBuilder t = new StringBuilder();
        t.append("| processes | runs | total s | records/s | x one process | CPU s (all) | records each (last run) | peak RSS MiB each (last run) |")
                .append(System.lineSeparator());
        t.append("|---|---|---|---|---|---|---|---|").append(System.lineSeparator());
        figures.forEach((processes, runs) -> {
            String name = processes + " x " + contender;
            if (runs.isEmpty()) {
                t.append(fmt("| %s | 0 | failed |  |  |  |  |  |%n", name));
                return;
            }
            ScaleFigures last = runs.get(runs.size() - 1);
            double rate = median(runs, ScaleFigures::recordsPerSecond);
            t.append(fmt("| %s | %d | %.2f | %,.0f | %s | %.1f | %s | %s |%n", name, runs.size(),
                    median(runs, ScaleFigures::totalSeconds), rate, ratio(rate, one), median(runs, ScaleFigures::cpuSeconds),
                    last.recordsEach(), last.peakRssMiBEach().stream().map(v -> fmt("%.0f", v)).collect(Collectors.toList())));
        });
        return t.toString();
    }

    static <T> double median(List<T> runs, ToDoubleFunction<T> figure) {
        return Stats.median(runs.stream().map(r -> figure.applyAsDouble(r)).collect(Collectors.toList()));
    }

    private static String ratio(double value, double base) {
        return Double.isNaN(value) || Double.isNaN(base) || base == 0 ? "-" : fmt("%.2f", value / base);
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
