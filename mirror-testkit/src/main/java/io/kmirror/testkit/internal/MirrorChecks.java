package io.kmirror.testkit.internal;

import io.kmirror.Mirror;
import io.kmirror.MirrorMetrics;
import io.kmirror.MirrorState;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.kafka.common.TopicPartition;

/** What mirror assertions share: the fail-fast check of a FAILED mirror and a readable mirror status. */
public final class MirrorChecks {

    private MirrorChecks() {
    }

    /**
     * Returns a fatal mismatch naming the mirror's failure if it is {@link MirrorState#FAILED}, else null.
     *
     * @param mirror the mirror, or null
     * @param expectation what the assertion expected, e.g. {@code "expected Mirror{orders, ...} to be RUNNING"}
     * @return null or the fatal mismatch, whose cause is the mirror's failure
     */
    public static Mismatch failed(Mirror mirror, String expectation) {
        if (mirror == null || mirror.state() != MirrorState.FAILED) {
            return null;
        }
        Throwable failure = mirror.failure().orElse(null);
        return Mismatch.fatal(expectation + ", but the mirror FAILED: " + (failure == null ? "no failure recorded" : failure),
                failure);
    }

    /**
     * Returns the mirror's state and counters in one line, for messages.
     *
     * @param mirror the mirror
     * @return e.g. {@code "state RUNNING, 997 records mirrored, total lag 3 (orders-2=3)"}
     */
    public static String status(Mirror mirror) {
        MirrorMetrics metrics = mirror.metrics();
        Map<String, Long> lagging = new TreeMap<>();
        metrics.lag().forEach((TopicPartition tp, Long lag) -> {
            if (lag > 0) {
                lagging.put(tp.toString(), lag);
            }
        });
        String lagText = lagging.isEmpty() ? "" : " (" + firstTen(lagging) + ")";
        return "state " + mirror.state() + ", " + metrics.recordsMirrored() + " records mirrored, total lag "
                + metrics.totalLag() + lagText;
    }

    /**
     * Returns the offsets the mirror last committed, per source partition, as it counted them, for messages about
     * catching up (the group's offsets on the cluster may differ if a commit did not arrive).
     *
     * @param mirror the mirror
     * @return e.g. {@code "offsets it committed: orders-0=500, orders-1=497"}
     */
    public static String committedOffsets(Mirror mirror) {
        Map<String, Long> committed = new TreeMap<>();
        mirror.metrics().committedOffsets().forEach((tp, offset) -> committed.put(tp.toString(), offset));
        return "offsets it committed: " + (committed.isEmpty() ? "none" : firstTen(committed));
    }

    private static String firstTen(Map<String, Long> values) {
        return values.entrySet().stream().limit(10).map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "))
                + (values.size() > 10 ? ", …" : "");
    }
}
