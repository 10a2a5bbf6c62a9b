package io.kmirror.examples.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One contender's fixed-rate run: replication latency of each measured record, its destination
 * append time minus its source append time (both {@code LogAppendTime}, milliseconds).
 *
 * @param contender    the contender's name
 * @param repetition   which repetition, from 1
 * @param measured     records measured (those produced after the warm-up)
 * @param missing      measured records not found on the destination
 * @param duplicates   records found more than once on the destination (the first counts)
 * @param achievedRate records per second the source actually received
 * @param p50Ms        median latency
 * @param p99Ms        99th percentile
 * @param p999Ms       99.9th percentile
 * @param maxMs        the largest
 * @param maxPerSecondMs the largest latency among the records written in each measured second
 * @param cpuSeconds   CPU time of the contender's JVM for the whole run
 */
record LatencyFigures(String contender, int repetition, long measured, long missing, long duplicates, double achievedRate,
        long p50Ms, long p99Ms, long p999Ms, long maxMs, long[] maxPerSecondMs, double cpuSeconds) {

    /** As results-file fields. */
    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("contender", contender);
        json.put("repetition", repetition);
        json.put("measured", measured);
        json.put("missing", missing);
        json.put("duplicates", duplicates);
        json.put("achievedRate", achievedRate);
        json.put("p50Ms", p50Ms);
        json.put("p99Ms", p99Ms);
        json.put("p999Ms", p999Ms);
        json.put("maxMs", maxMs);
        json.put("maxPerSecondMs", Arrays.toString(maxPerSecondMs));
        json.put("cpuSeconds", cpuSeconds);
        return json;
    }

    /** The seconds of the measured window (from 0) whose largest latency exceeds {@code limitMs}, e.g. "[4, 9, 14]". */
    String secondsAbove(long limitMs) {
        List<Integer> seconds = new ArrayList<>();
        for (int s = 0; s < maxPerSecondMs.length; s++) {
            if (maxPerSecondMs[s] > limitMs) {
                seconds.add(s);
            }
        }
        return seconds.toString();
    }
}
