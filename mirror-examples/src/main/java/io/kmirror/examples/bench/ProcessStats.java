package io.kmirror.examples.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What this JVM has cost so far, read by a contender about itself: process CPU time, peak resident
 * set size ({@code VmHWM} in {@code /proc/self/status}; -1 where there is no {@code /proc}), garbage
 * collection time, JVM start time, maximum heap, peak live threads and peak heap use (the sum of the heap
 * pools' peaks, an upper bound: the pools peak at different moments).
 */
final class ProcessStats {

    private ProcessStats() {
    }

    /** The JVM's start, in epoch milliseconds (what {@code RuntimeMXBean} reports). */
    static long jvmStartMillis() {
        return ManagementFactory.getRuntimeMXBean().getStartTime();
    }

    /** The current figures, as result-line fields. */
    static Map<String, Object> snapshot() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("cpuMs", cpuNanos() / 1_000_000);
        fields.put("peakRssKiB", statusKiB("VmHWM:"));
        long gcMs = 0;
        long gcCount = 0;
        StringBuilder collectors = new StringBuilder();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcMs += Math.max(0, gc.getCollectionTime());
            gcCount += Math.max(0, gc.getCollectionCount());
            collectors.append(collectors.length() == 0 ? "" : ",").append(gc.getName());
        }
        fields.put("gcMs", gcMs);
        fields.put("gcCount", gcCount);
        fields.put("gc", collectors.toString());
        fields.put("heapMaxMiB", Runtime.getRuntime().maxMemory() >> 20);
        fields.put("peakThreads", ManagementFactory.getThreadMXBean().getPeakThreadCount());
        long heapPeak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                heapPeak += pool.getPeakUsage().getUsed();
            }
        }
        fields.put("peakHeapMiB", heapPeak >> 20);
        return fields;
    }

    private static long cpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1_000_000;
    }

    private static long statusKiB(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).replace("kB", "").trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: not Linux
        }
        return -1;
    }
}
