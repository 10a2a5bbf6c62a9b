package io.kmirror.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.fail;

import io.kmirror.Mirror;
import io.kmirror.MirrorBuilder;
import io.kmirror.TopicFilter;
import io.kmirror.testkit.MirrorAssertions;
import io.kmirror.testkit.TestKafkaCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * What the integration tests share: a mirror builder with test-friendly intervals and bounded waits.
 * Record comparisons belong to {@link MirrorAssertions}; {@link #byPartition}, {@link #valuesByKey},
 * {@link #seqCounts} and {@link View} remain for tests not yet moved to them.
 */
final class MirrorTesting {

    static final Duration WAIT = Duration.ofSeconds(60);

    private MirrorTesting() {
    }

    /** A mirror from {@code source} to {@code destination}: topics looked for every second, offsets committed every 200 ms. */
    static MirrorBuilder mirror(TestKafkaCluster source, TestKafkaCluster destination, TopicFilter topics, String group) {
        return Mirror.builder()
                .source(source.clientConfig())
                .destination(destination.clientConfig())
                .topics(topics)
                .groupId(group)
                .topicRefreshInterval(Duration.ofSeconds(1))
                .offsetCommitInterval(Duration.ofMillis(200));
    }

    /** Waits until the mirror is RUNNING; fails at once, with its cause, if it failed or stopped. */
    static void awaitRunning(Mirror mirror) {
        MirrorAssertions.assertThat(mirror).eventually(WAIT).isRunning();
    }

    /** Asserts that the mirror catches up within {@link #WAIT}; fails with its state and lag, or its failure. */
    static void assertCaughtUp(Mirror mirror) throws InterruptedException { // throws: kept for callers written against the old signature
        MirrorAssertions.assertThat(mirror).hasCaughtUp(WAIT);
    }

    /**
     * Polls {@code condition} every 20 ms until true; fails naming {@code what} after {@link #WAIT}. For
     * waits that are not assertions on a topic or a mirror (those have {@code eventually}).
     */
    static void await(String what, BooleanSupplier condition) {
        await(what, WAIT, condition);
    }

    /** {@link #await(String, BooleanSupplier)} for up to {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }

    /** A record as a test compares it: key, value, headers, timestamp, as text. */
    record View(String key, String value, Map<String, String> headers, long timestamp) {
        static View of(ConsumerRecord<byte[], byte[]> record) {
            Map<String, String> headers = new LinkedHashMap<>();
            for (Header h : record.headers()) {
                if (!h.key().equals(io.kmirror.Provenance.HEADER)) { // the mirror's own note, not the application's
                    headers.put(h.key(), h.value() == null ? null : new String(h.value(), UTF_8));
                }
            }
            return new View(record.key() == null ? null : new String(record.key(), UTF_8),
                    record.value() == null ? null : new String(record.value(), UTF_8), headers, record.timestamp());
        }

        String seq() {
            return headers.get("seq");
        }
    }

    /** Records per partition, each partition's in offset order. Prefer {@code containsExactlyRecordsOf}. */
    static Map<Integer, List<View>> byPartition(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<Integer, List<View>> partitions = new TreeMap<>();
        records.stream()
                .sorted(Comparator.comparingInt((ConsumerRecord<byte[], byte[]> r) -> r.partition())
                        .thenComparingLong(ConsumerRecord::offset))
                .forEach(r -> partitions.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(View.of(r)));
        return partitions;
    }

    /** Values per key, in the order a reader of the topic sees them. Prefer {@code preservesKeyOrderOf}. */
    static Map<String, List<String>> valuesByKey(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, List<String>> keys = new HashMap<>();
        byPartition(records).values().forEach(views -> views.forEach(
                v -> keys.computeIfAbsent(v.key(), k -> new ArrayList<>()).add(v.value())));
        return keys;
    }

    /** How many times each {@code seq} header occurs. Prefer {@code containsAllRecordsOf} / {@code hasNoDuplicates}. */
    static Map<String, Integer> seqCounts(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, Integer> counts = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            counts.merge(View.of(r).seq(), 1, Integer::sum);
        }
        return counts;
    }

    static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}
