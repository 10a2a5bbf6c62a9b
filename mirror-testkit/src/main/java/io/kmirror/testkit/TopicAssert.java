package io.kmirror.testkit;

import io.kmirror.Mirror;
import io.kmirror.testkit.internal.AssertionErrors;
import io.kmirror.testkit.internal.Coverage;
import io.kmirror.testkit.internal.Duplicates;
import io.kmirror.testkit.internal.Eventually;
import io.kmirror.testkit.internal.ExactComparison;
import io.kmirror.testkit.internal.KeyOrderComparison;
import io.kmirror.testkit.internal.Mismatch;
import io.kmirror.testkit.internal.MismatchException;
import io.kmirror.testkit.internal.MirrorChecks;
import io.kmirror.testkit.internal.TopicSnapshot;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a topic of a test cluster; obtain one with
 * {@code MirrorAssertions.assertThat(cluster).topic("orders")} or
 * {@code MirrorAssertions.assertThat(cluster.topic("orders"))}.
 *
 * <p>Records are read as a {@code read_committed} consumer sees them, from the start of each partition
 * to its end at the moment of the check. Without {@link #eventually(Duration)} each assertion checks
 * once; after it, each assertion is retried as a whole (both topics read again) every 100 ms until it
 * holds, and fails after the timeout with the last mismatch. A topic that does not exist fails the
 * assertion ("topic orders does not exist on destination"), or is waited for under
 * {@code eventually}. Failure messages name the topics, the partitions and offsets, and show the first
 * differing record.
 *
 * <p>Not thread-safe, like every AssertJ assertion object.
 */
public class TopicAssert extends AbstractAssert<TopicAssert, ClusterTopic> {

    private Duration timeout;
    private Mirror watched;
    private boolean timestamps = true;

    /**
     * Creates assertions on a topic; prefer {@link MirrorAssertions#assertThat(ClusterTopic)}.
     *
     * @param actual the topic under test
     */
    public TopicAssert(ClusterTopic actual) {
        super(actual, TopicAssert.class);
    }

    /**
     * Makes every following assertion of this object retry until it holds or {@code timeout} passed:
     * the whole assertion is repeated (the topics read again) every 100 ms, and a timeout fails with the
     * last mismatch and how long it was retried. Use it while a mirror is still copying.
     *
     * @param timeout how long each following assertion may take, positive
     * @return this assertion object
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public TopicAssert eventually(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout of eventually(..) must be positive, was " + timeout);
        }
        this.timeout = timeout;
        return myself;
    }

    /**
     * Makes every following assertion fail at once, with the mirror's failure as cause, when
     * {@code mirror} is {@code FAILED}, instead of waiting out an {@link #eventually(Duration)} timeout
     * for records that will never come.
     *
     * @param mirror the mirror that fills this topic
     * @return this assertion object
     */
    public TopicAssert watching(Mirror mirror) {
        this.watched = Objects.requireNonNull(mirror, "mirror must not be null");
        return myself;
    }

    /**
     * Makes the record comparisons that follow ({@link #containsExactlyRecordsOf},
     * {@link #containsAllRecordsOf}) ignore timestamps, e.g. for a destination topic with
     * {@code message.timestamp.type=LogAppendTime}. By default timestamps must be equal: a mirror keeps them.
     *
     * @return this assertion object
     */
    public TopicAssert ignoringTimestamps() {
        this.timestamps = false;
        return myself;
    }

    /**
     * Verifies that the topic exists.
     *
     * @return this assertion object
     * @throws AssertionError if it does not (after the timeout, under {@code eventually})
     */
    public TopicAssert exists() {
        return check(() -> actual.cluster().topics().contains(actual.name()) ? null : Mismatch.of(TopicSnapshot.missing(actual)));
    }

    /**
     * Verifies that the topic does not exist.
     *
     * @return this assertion object
     * @throws AssertionError if it does
     */
    public TopicAssert doesNotExist() {
        return check(() -> actual.cluster().topics().contains(actual.name())
                ? Mismatch.of("expected no topic " + actual.name() + " on " + actual.cluster().name() + ", but it exists") : null);
    }

    /**
     * Verifies the number of records a {@code read_committed} consumer reads from the topic (records of
     * aborted transactions and transaction markers do not count).
     *
     * @param expected the number of records
     * @return this assertion object
     * @throws AssertionError naming the count found and the count of each partition
     */
    public TopicAssert hasRecordCount(long expected) {
        return check(() -> {
            TopicSnapshot snapshot = TopicSnapshot.read(actual);
            if (snapshot.records().size() == expected) {
                return null;
            }
            Map<Integer, Long> perPartition = new TreeMap<>();
            for (int p = 0; p < snapshot.partitionCount(); p++) {
                perPartition.put(p, 0L);
            }
            snapshot.records().forEach(r -> perPartition.merge(r.partition(), 1L, Long::sum));
            return Mismatch.of("expected " + expected + " records in " + actual + ", found " + snapshot.records().size()
                    + " (per partition: " + perPartition.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(", ")) + ")");
        });
    }

    /**
     * Verifies the topic's number of partitions.
     *
     * @param expected the number of partitions
     * @return this assertion object
     * @throws AssertionError if it has another number or does not exist
     */
    public TopicAssert hasPartitionCount(int expected) {
        return check(() -> {
            int found = partitionCount();
            return found == expected ? null
                    : Mismatch.of("expected " + actual + " to have " + expected + " partitions, found " + found);
        });
    }

    /**
     * Verifies one configuration value of the topic, as the cluster reports it (a value set on the topic
     * or the default).
     *
     * @param key a topic configuration key, e.g. {@code cleanup.policy}
     * @param value the expected value, e.g. {@code compact}
     * @return this assertion object
     * @throws AssertionError naming the value found
     */
    public TopicAssert hasConfig(String key, String value) {
        Objects.requireNonNull(key, "key must not be null");
        return check(() -> {
            Map<String, String> config;
            try {
                config = actual.cluster().topicConfig(actual.name());
            } catch (UnknownTopicOrPartitionException e) {
                return Mismatch.of(TopicSnapshot.missing(actual));
            }
            if (!config.containsKey(key)) {
                return Mismatch.of("expected " + actual + " to have " + key + "=" + value + ", but the topic has no config " + key);
            }
            String found = config.get(key);
            return Objects.equals(found, value) ? null
                    : Mismatch.of("expected " + actual + " to have " + key + "=" + value + ", found " + key + "=" + found);
        });
    }

    /**
     * Verifies that no record of the topic occurs twice. A duplicate is a record with the same key,
     * value and headers (byte for byte, headers in order) as another record of the topic, in any
     * partition; timestamps and offsets do not count. Records that should differ must therefore differ
     * in content (the records of {@link TestRecords#keyed} all do, by their {@code seq} header).
     *
     * @return this assertion object
     * @throws AssertionError listing the duplicated records and their partitions and offsets
     */
    public TopicAssert hasNoDuplicates() {
        return check(() -> Duplicates.find(TopicSnapshot.read(actual)));
    }

    /**
     * Verifies that the topic holds exactly the records of {@code expected}: the same number of
     * partitions and, in each partition, records with equal key, value, headers and timestamp (unless
     * {@link #ignoringTimestamps()}) in the same offset order. Offsets themselves need not be equal
     * (transaction markers take offsets at the source). kmirror's provenance header
     * ({@link io.kmirror.Provenance#HEADER}) is not compared, here or in the other comparisons.
     *
     * <p>The failure message starts with a summary such as "expected 1000 records in orders, found 997;
     * missing offsets 412–414 on partition 2" (offsets of {@code expected}), then shows the first
     * differing record of both topics.
     *
     * @param expected the topic this one should equal, typically the source topic of a mirror
     * @return this assertion object
     * @throws AssertionError describing every differing partition and the first difference
     */
    public TopicAssert containsExactlyRecordsOf(ClusterTopic expected) {
        Objects.requireNonNull(expected, "expected must not be null");
        return check(() -> ExactComparison.compare(TopicSnapshot.read(actual), TopicSnapshot.read(expected), timestamps));
    }

    /**
     * Verifies that the topic holds every record of {@code expected} (key, value, headers and timestamp
     * unless {@link #ignoringTimestamps()}) at least as often as {@code expected} does, in any partition
     * and order: what at-least-once delivery promises after a crash (nothing lost, duplicates allowed).
     *
     * @param expected the topic whose records must all be here
     * @return this assertion object
     * @throws AssertionError naming the missing offsets of {@code expected} by partition and the first missing record
     */
    public TopicAssert containsAllRecordsOf(ClusterTopic expected) {
        Objects.requireNonNull(expected, "expected must not be null");
        return check(() -> Coverage.compare(TopicSnapshot.read(actual), TopicSnapshot.read(expected), timestamps));
    }

    /**
     * Verifies that every key keeps its order: for each key, the records of that key (value and
     * headers), read partition by partition in offset order, are the same sequence here as in
     * {@code expected}, nothing missing, duplicated or reordered. Partition numbers and counts may
     * differ, e.g. a destination with fewer partitions than the source. Records without a key carry no
     * key order and are not compared. Meaningful when each key lives in one partition of each topic, as
     * the default partitioner and kmirror's partitioning ensure.
     *
     * @param expected the topic whose per-key order this one should keep
     * @return this assertion object
     * @throws AssertionError naming the keys that differ and the first difference
     */
    public TopicAssert preservesKeyOrderOf(ClusterTopic expected) {
        Objects.requireNonNull(expected, "expected must not be null");
        return check(() -> KeyOrderComparison.compare(TopicSnapshot.read(actual), TopicSnapshot.read(expected)));
    }

    private int partitionCount() {
        try {
            return actual.cluster().partitionCount(actual.name());
        } catch (UnknownTopicOrPartitionException e) {
            throw new MismatchException(Mismatch.of(TopicSnapshot.missing(actual)));
        }
    }

    private TopicAssert check(Supplier<Mismatch> check) {
        isNotNull();
        Mismatch mismatch = Eventually.check(timeout, () -> {
            Mismatch failed = MirrorChecks.failed(watched, "while checking " + actual + " (watching " + watched + ")");
            return failed != null ? failed : check.get();
        });
        if (mismatch != null) {
            throw AssertionErrors.of(info, mismatch);
        }
        return myself;
    }
}
