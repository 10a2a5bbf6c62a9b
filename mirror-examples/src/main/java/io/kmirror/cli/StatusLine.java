package io.kmirror.cli;

import io.kmirror.Mirror;
import io.kmirror.MirrorMetrics;
import io.kmirror.MirrorState;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * What the status shows, computed from two snapshots of the mirror: records/s and MB/s between them,
 * total lag, topics, and in {@code --stop-when-caught-up} mode a progress bar with percent and ETA. A
 * line for a terminal fits its width, so that redrawing it in place never wraps.
 */
final class StatusLine {

    private static final int BAR_WIDTH = 24;
    private static final int SHORT_BAR_WIDTH = 12;

    private StatusLine() {
    }

    /**
     * One look at the mirror.
     *
     * @param nanos     when, from {@link System#nanoTime()}
     * @param state     the mirror's state
     * @param mirrored  records the destination acknowledged
     * @param bytes     their key and value bytes
     * @param processed records done with: mirrored, dropped by the handler or skipped after a send failure
     * @param lag       records at the source not yet fetched, over the partitions this mirror owns
     * @param topics    topics among those partitions
     * @param timeLag   how far behind the destination is: the age of the oldest record not yet acknowledged
     * @param p99Millis the 99th percentile replication latency in ms; NaN when unknown
     */
    record Sample(long nanos, MirrorState state, long mirrored, long bytes, long processed, long lag, int topics,
            Duration timeLag, double p99Millis) {

        /** A sample without time lag and latency. */
        Sample(long nanos, MirrorState state, long mirrored, long bytes, long processed, long lag, int topics) {
            this(nanos, state, mirrored, bytes, processed, lag, topics, Duration.ZERO, Double.NaN);
        }

        static Sample of(Mirror mirror) {
            MirrorState state = mirror.state();
            MirrorMetrics m = mirror.metrics();
            Set<String> topics = new HashSet<>();
            m.lag().keySet().stream().map(TopicPartition::topic).forEach(topics::add);
            m.committedOffsets().keySet().stream().map(TopicPartition::topic).forEach(topics::add);
            return new Sample(System.nanoTime(), state, m.recordsMirrored(), m.bytesMirrored(),
                    m.recordsMirrored() + m.recordsDropped() + m.recordsSkipped(), m.totalLag(), topics.size(),
                    m.maxTimeLag(), m.replicationLatency().p99Ms());
        }
    }

    /**
     * {@code RUNNING  1,234 records/s  0.12 MB/s  lag 0  p99 31 ms  1 topic  12,345 records mirrored}; while
     * behind, the lag shows how far: {@code lag 5,000 (4.2 s behind)}.
     */
    static String running(Sample from, Sample to) {
        return running(from, to, 0);
    }

    /**
     * The running line in at most {@code width} characters: shorter words, then fewer figures, as the
     * width needs; {@code width <= 0} for no limit.
     */
    static String running(Sample from, Sample to, int width) {
        double rate = recordsPerSecond(from, to);
        String topics = to.topics() + (to.topics() == 1 ? " topic" : " topics");
        String behind = behind(to.timeLag());
        String p99 = Double.isNaN(to.p99Millis()) ? "" : fmt("  p99 %,.0f ms", to.p99Millis());
        return fit(width,
                fmt("%s  %,.0f records/s  %.2f MB/s  lag %,d%s%s  %s  %,d records mirrored", to.state(), rate,
                        megabytesPerSecond(from, to), to.lag(), behind, p99, topics, to.mirrored()),
                fmt("%s  %,.0f rec/s  %.2f MB/s  lag %,d%s  %s  %,d mirrored", to.state(), rate, megabytesPerSecond(from, to),
                        to.lag(), behind, topics, to.mirrored()),
                fmt("%s  %,.0f rec/s  lag %,d  %,d mirrored", to.state(), rate, to.lag(), to.mirrored()));
    }

    private static String behind(Duration timeLag) {
        return timeLag.isZero() ? "" : fmt(" (%.1f s behind)", timeLag.toMillis() / 1000.0);
    }

    /** {@code [##########..............]  42%  12,345 of 29,390 records  1,234 records/s  0.12 MB/s  ETA 0:13}. */
    static String progress(Sample from, Sample to) {
        return progress(from, to, 0);
    }

    /** The progress line in at most {@code width} characters ({@code <= 0}: no limit), as {@link #running(Sample, Sample, int)}. */
    static String progress(Sample from, Sample to, int width) {
        if (to.topics() == 0) {
            return fit(width, fmt("[%s]  %s: waiting for partitions", ".".repeat(BAR_WIDTH), to.state()),
                    fmt("%s: waiting for partitions", to.state()));
        }
        long total = to.processed() + to.lag();
        double fraction = total == 0 ? 1 : (double) to.processed() / total;
        double rate = recordsPerSecond(from, to);
        String percent = fmt("%3d%%", (int) Math.floor(fraction * 100));
        String eta = "ETA " + eta(to.lag(), rate);
        return fit(width,
                fmt("%s  %s  %,d of %,d records  %,.0f records/s  %.2f MB/s  %s", bar(fraction, BAR_WIDTH), percent,
                        to.processed(), total, rate, megabytesPerSecond(from, to), eta),
                fmt("%s  %s  %,d of %,d records  %,.0f records/s  %s", bar(fraction, BAR_WIDTH), percent, to.processed(),
                        total, rate, eta),
                fmt("%s  %s  %,d of %,d  %,.0f rec/s  %s", bar(fraction, SHORT_BAR_WIDTH), percent, to.processed(), total,
                        rate, eta),
                fmt("%s  %s  %s", bar(fraction, SHORT_BAR_WIDTH), percent, eta));
    }

    private static String bar(double fraction, int width) {
        int filled = (int) Math.floor(fraction * width);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
    }

    /** The first line that fits in {@code width}; the last one cut to it if none does. */
    private static String fit(int width, String... lines) {
        for (String line : lines) {
            if (width <= 0 || line.length() <= width) {
                return line;
            }
        }
        String last = lines[lines.length - 1];
        return last.substring(0, Math.min(width, last.length()));
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    static double recordsPerSecond(Sample from, Sample to) {
        return perSecond(to.mirrored() - from.mirrored(), from, to);
    }

    static double megabytesPerSecond(Sample from, Sample to) {
        return perSecond(to.bytes() - from.bytes(), from, to) / 1e6;
    }

    /** {@code m:ss} or {@code h:mm:ss}; {@code --:--} while nothing moves. */
    static String eta(long remaining, double perSecond) {
        if (remaining == 0) {
            return "0:00";
        }
        if (perSecond <= 0) {
            return "--:--";
        }
        return clock((long) Math.ceil(remaining / perSecond));
    }

    /** {@code m:ss} or {@code h:mm:ss}. */
    static String clock(long seconds) {
        return seconds >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    private static double perSecond(long amount, Sample from, Sample to) {
        long nanos = to.nanos() - from.nanos();
        return nanos <= 0 ? 0 : amount * 1e9 / nanos;
    }
}
