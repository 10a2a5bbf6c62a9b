package io.kmirror.examples.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One contender run's throughput and cost, from its result line.
 *
 * @param contender          the contender's name
 * @param repetition         which repetition, from 1
 * @param records            records mirrored
 * @param totalSeconds       from the contender's JVM start to the last record on the destination
 * @param recordsPerSecond   {@code records / totalSeconds}
 * @param mibPerSecond       key and value MiB per second over {@code totalSeconds}
 * @param steadyRecordsPerSecond the rate between 10 % and 90 % of the records
 * @param firstRecordSeconds from the JVM start to the first record on the destination
 * @param startupSeconds     from the moment the contender began creating its clients (for kmirror:
 *                           {@code Mirror.builder()}, then {@code start()}) to the first record on the
 *                           destination: the JVM's own start and class loading left out
 * @param cpuSeconds         CPU time of the contender's JVM until the last record
 * @param peakRssMiB         peak resident set size of the contender's JVM ({@code VmHWM})
 * @param gcMs               time in garbage collection
 * @param gcCount            garbage collections
 * @param peakThreads        the most live threads the contender's JVM had at once
 * @param peakHeapMiB        the sum of its heap pools' peak use (an upper bound of the peak heap)
 */
record ThroughputFigures(String contender, int repetition, long records, double totalSeconds, double recordsPerSecond,
        double mibPerSecond, double steadyRecordsPerSecond, double firstRecordSeconds, double startupSeconds, double cpuSeconds, double peakRssMiB,
        long gcMs, long gcCount, long peakThreads, long peakHeapMiB) {

    /** The figures of a run that mirrored {@code records} records of {@code bytes} key and value bytes. */
    static ThroughputFigures of(String contender, int repetition, long records, long bytes, Map<String, Object> result) {
        long start = number(result, "jvmStartMs");
        double total = (number(result, "endMs") - start) / 1000.0;
        double steadyMs = number(result, "t90Ms") - number(result, "t10Ms");
        return new ThroughputFigures(contender, repetition, records, total, records / total, bytes / total / (1 << 20),
                steadyMs > 0 ? 0.8 * records / (steadyMs / 1000.0) : Double.NaN,
                (number(result, "firstAckMs") - start) / 1000.0,
                (number(result, "firstAckMs") - number(result, "clientsStartMs")) / 1000.0, number(result, "cpuMs") / 1000.0,
                number(result, "peakRssKiB") / 1024.0, number(result, "gcMs"), number(result, "gcCount"),
                number(result, "peakThreads"), number(result, "peakHeapMiB"));
    }

    static long number(Map<String, Object> result, String field) {
        Object value = result.get(field);
        if (!(value instanceof Number n)) {
            throw new IllegalStateException("the contender's result has no number '" + field + "': " + result);
        }
        return n.longValue();
    }

    /** CPU milliseconds per 1,000 records. */
    double cpuMsPerThousand() {
        return cpuSeconds * 1000 / (records / 1000.0);
    }

    /** As results-file fields. */
    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("contender", contender);
        json.put("repetition", repetition);
        json.put("records", records);
        json.put("totalSeconds", totalSeconds);
        json.put("recordsPerSecond", recordsPerSecond);
        json.put("mibPerSecond", mibPerSecond);
        json.put("steadyRecordsPerSecond", steadyRecordsPerSecond);
        json.put("firstRecordSeconds", firstRecordSeconds);
        json.put("startupSeconds", startupSeconds);
        json.put("cpuSeconds", cpuSeconds);
        json.put("peakRssMiB", peakRssMiB);
        json.put("gcMs", gcMs);
        json.put("gcCount", gcCount);
        json.put("peakThreads", peakThreads);
        json.put("peakHeapMiB", peakHeapMiB);
        return json;
    }
}
