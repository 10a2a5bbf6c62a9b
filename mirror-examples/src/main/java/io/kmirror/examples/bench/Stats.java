package io.kmirror.examples.bench;

import java.util.Arrays;
import java.util.Collection;

/** Medians and percentiles. */
final class Stats {

    private Stats() {
    }

    /** The median of {@code values} (the mean of the middle two for an even count); NaN if empty. */
    static double median(Collection<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /**
     * The nearest-rank percentile {@code q} (0 < q <= 100) of {@code sorted}, which is sorted
     * ascending; -1 if empty.
     */
    static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(q / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }

    /** A sorted copy. */
    static long[] sorted(long[] values) {
        long[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }
}
