package io.kmirror.examples.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One scale run: {@code processes} kmirror JVMs in one group mirroring one topic together.
 *
 * @param processes          the number of mirror JVMs
 * @param repetition         which repetition, from 1
 * @param records            records on the topic
 * @param totalSeconds       from the first JVM's start to the last record any of them put on the destination
 * @param recordsPerSecond   {@code records / totalSeconds}
 * @param cpuSeconds         CPU time of all the JVMs together
 * @param recordsEach        records each JVM mirrored
 * @param peakRssMiBEach     each JVM's peak resident set size
 */
record ScaleFigures(int processes, int repetition, long records, double totalSeconds, double recordsPerSecond,
        double cpuSeconds, List<Long> recordsEach, List<Double> peakRssMiBEach) {

    /** The figures from each JVM's result. */
    static ScaleFigures of(int repetition, long records, List<Map<String, Object>> results) {
        long start = results.stream().mapToLong(r -> ThroughputFigures.number(r, "jvmStartMs")).min().orElseThrow();
        long end = results.stream().mapToLong(r -> ThroughputFigures.number(r, "lastAckMs")).max().orElseThrow();
        double total = (end - start) / 1000.0;
        return new ScaleFigures(results.size(), repetition, records, total, records / total,
                results.stream().mapToLong(r -> ThroughputFigures.number(r, "cpuMs")).sum() / 1000.0,
                results.stream().map(r -> ThroughputFigures.number(r, "records")).collect(Collectors.toList()),
                results.stream().map(r -> ThroughputFigures.number(r, "peakRssKiB") / 1024.0).collect(Collectors.toList()));
    }

    /** As results-file fields. */
    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("processes", processes);
        json.put("repetition", repetition);
        json.put("records", records);
        json.put("totalSeconds", totalSeconds);
        json.put("recordsPerSecond", recordsPerSecond);
        json.put("cpuSeconds", cpuSeconds);
        json.put("recordsEach", recordsEach.toString());
        json.put("peakRssMiBEach", peakRssMiBEach.stream().map(v -> String.format(java.util.Locale.ROOT, "%.0f", v))
                .collect(Collectors.joining(",", "[", "]")));
        return json;
    }
}
