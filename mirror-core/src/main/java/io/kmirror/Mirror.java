package io.kmirror;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * A running copy of Kafka topics from a source cluster to a destination cluster, embedded in the
 * host application. Build one with {@link #builder()}.
 *
 * <pre>{@code
 * try (Mirror mirror = Mirror.builder()
 *         .source(Map.of("bootstrap.servers", "source:9092"))
 *         .destination(Map.of("bootstrap.servers", "destination:9092"))
 *         .topics(TopicFilter.include("orders.*"))
 *         .build()) {
 *     mirror.start();
 *     ...
 * }
 * }</pre>
 *
 * <p>Guarantees: with {@link DeliveryGuarantee#AT_LEAST_ONCE} no record is lost, even if the process
 * is killed: a source offset is committed only after the destination acknowledged every record below
 * it. Key, value, headers and timestamp pass through as bytes; every key's order is kept. A send that
 * fails for good stops the mirror ({@link MirrorState#FAILED}) and nothing past the failed record is
 * committed.
 *
 * <p>The host owns the lifecycle: the mirror starts its own threads in {@link #start()}, adds no
 * shutdown hooks and never exits the JVM. All methods are thread-safe.
 */
public interface Mirror extends AutoCloseable {

    /** A builder for a new mirror. */
    static MirrorBuilder builder() {
        return new MirrorBuilder();
    }

    /**
     * Starts mirroring and returns at once; the state goes to {@link MirrorState#STARTING}, then to
     * {@link MirrorState#RUNNING} when every stream has joined the group and is positioned.
     *
     * @throws IllegalStateException if the mirror was started or closed before
     */
    void start();

    /** The current state. */
    MirrorState state();

    /** Why the mirror is {@link MirrorState#FAILED}, or stopping because of a failure; empty otherwise. */
    Optional<Throwable> failure();

    /**
     * Reads the source's end offsets (high watermarks) of every mirrored partition once, now, and waits until
     * every record below them is acknowledged by the destination and its offset committed (exactly-once: and
     * the records visible to {@code read_committed} readers of the destination). Terminates on a
     * source that keeps receiving records; records behind another writer's open transaction on the source
     * are waited for until that transaction ends (a {@code read_committed} mirror cannot read past it). While
     * a caller waits, streams commit at once instead of at the commit interval. A wait that gives up, or that has
     * lasted 30 s (and every 30 s after), logs at INFO which partitions are not there yet and how far they are.
     *
     * @return true once caught up; false if {@code timeout} passed first or the mirror stopped
     * @throws IllegalStateException if the mirror was not started, or has failed (the failure is the cause)
     * @throws InterruptedException if the calling thread is interrupted
     */
    boolean awaitCaughtUp(Duration timeout) throws InterruptedException;

    /**
     * A snapshot of the mirror's counters: records, bytes, lag in records and in time, replication
     * latency. Cheap; may be called often. The same figures are MBeans under {@code kmirror:} from
     * {@link #start()} until {@link #close()}, and Micrometer meters through {@link MirrorMeterBinder}.
     */
    MirrorMetrics metrics();

    /**
     * The health of every source partition this mirror instance owns now (partitions owned by other
     * processes of the group are theirs to report): {@code OK}, {@code LAGGING}, {@code PAUSED} or
     * {@code FAILED}, with the cause and since when. An immutable snapshot; cheap. The default, for
     * implementations other than kmirror's own (a test double, say), reports no partition.
     */
    default Map<TopicPartition, PartitionHealth> health() {
        return Map.of();
    }

    /**
     * Mirrors the source topics {@code filter} matches from now on, without a restart: the topics are
     * scanned again at once (not at the next {@code topicRefreshInterval}), new ones are created on the
     * destination and mirrored within a poll of the streams' next subscription; topics that stop matching
     * are released with their offsets committed, and resume from them if they match again later. The
     * group keeps its members and offsets. May be called before {@link #start()}.
     *
     * @throws IllegalStateException if the mirror is stopping or stopped
     * @throws UnsupportedOperationException by implementations other than kmirror's own that do not steer
     */
    default void updateTopics(TopicFilter filter) {
        throw new UnsupportedOperationException("this Mirror cannot change its topics while it runs");
    }

    /**
     * Stops fetching from {@code topics} (source topic names) until they are {@link #resume resumed}:
     * records sent before are delivered and their offsets committed at once; the group's heartbeats and
     * the other topics go on. Their partitions show {@link PartitionHealth.State#PAUSED} in {@link #health()}
     * and in the {@code health} metric. A name the mirror does not mirror (yet) is remembered: that topic
     * starts paused when it matches. May be called before {@link #start()}, which then starts paused.
     *
     * @throws IllegalStateException if the mirror is stopping or stopped
     */
    default void pause(Collection<String> topics) {
        throw new UnsupportedOperationException("this Mirror cannot pause topics");
    }

    /** {@link #pause(Collection)} of {@code topics}. */
    default void pause(String... topics) {
        pause(List.of(topics));
    }

    /**
     * Fetches from {@code topics} again, where their offsets were committed when they were paused. A
     * topic that was not paused is ignored.
     *
     * @throws IllegalStateException if the mirror is stopping or stopped
     */
    default void resume(Collection<String> topics) {
        throw new UnsupportedOperationException("this Mirror cannot resume topics");
    }

    /** {@link #resume(Collection)} of {@code topics}. */
    default void resume(String... topics) {
        resume(List.of(topics));
    }

    /** The source topics paused by {@link #pause}, sorted; empty when none is. */
    default Set<String> pausedTopics() {
        return Set.of();
    }

    /**
     * Limits the bytes (keys and values) the mirror fetches from the source to {@code bytesPerSecond}, over
     * all its streams, from now on; 0 removes the limit. The limit is kept by pausing fetches, never by
     * sleeping, so the group's heartbeats and commits go on; over any few seconds the rate stays within the
     * limit plus one fetch ({@code max.partition.fetch.bytes}). The same as
     * {@link MirrorBuilder#maxBytesPerSecond(long)}; each process of a group has its own limit.
     *
     * @throws IllegalArgumentException if {@code bytesPerSecond} is negative
     * @throws IllegalStateException if the mirror is stopping or stopped
     */
    default void maxBytesPerSecond(long bytesPerSecond) {
        throw new UnsupportedOperationException("this Mirror cannot be throttled");
    }

    /**
     * Translates source positions into destination positions through the offset map this mirror keeps on the
     * destination ({@link OffsetTranslator}): {@code mirror.offsets().translate(partition, offset)}. The
     * translator is the mirror's: it is closed with the mirror, not by the caller. Its first use reads the map.
     *
     * @throws IllegalStateException if the mirror has not started
     * @throws UnsupportedOperationException by implementations other than kmirror's own
     */
    default OffsetTranslator offsets() {
        throw new UnsupportedOperationException("this Mirror keeps no offset map");
    }

    /**
     * Stops polling, drains in-flight records, commits what the destination acknowledged, closes every
     * client, and unregisters the mirror's MBeans (a mirror that failed keeps them, showing
     * {@code failed=1}, until it is closed). Idempotent; safe to call in any state, from any thread
     * except the mirror's own.
     *
     * @return true if the mirror reached {@link MirrorState#STOPPED} or {@link MirrorState#FAILED}
     *     within {@code timeout} and its {@link MirrorListener} has been told so; false if it is still
     *     stopping (it goes on in the background)
     */
    boolean close(Duration timeout);

    /** {@link #close(Duration)} with a timeout of 30 seconds. */
    @Override
    void close();
}
