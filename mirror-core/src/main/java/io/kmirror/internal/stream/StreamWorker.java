package io.kmirror.internal.stream;

import io.kmirror.MirrorListener;
import io.kmirror.internal.HealthBoard;
import io.kmirror.internal.MirrorCounters;
import io.kmirror.internal.control.FlowControl;
import io.kmirror.internal.topics.Subscription;
import io.kmirror.internal.topics.SubscriptionHolder;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream: a consumer thread that follows the mirror's topic subscription, polls the source and
 * hands the records to its {@link Delivery}, which sends them and commits progress as its guarantee
 * requires. Also reports readiness (for {@code RUNNING}), lag, gaps in the source and rebalances.
 */
public final class StreamWorker implements Runnable {

    /** What the stream tells its mirror. */
    public interface Owner {
        /** The stream joined the group and positioned its first assignment (or has no topics to mirror). */
        void streamReady(StreamWorker stream);

        /** The stream stopped because of {@code cause}; it has committed what was safe. */
        void streamFailed(StreamWorker stream, Throwable cause);
    }

    private static final Logger log = LoggerFactory.getLogger(StreamWorker.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);
    /** How often lag is updated: often enough that time lag, measured from the update, is off by a tenth of a second at most. */
    private static final long LAG_UPDATE_NANOS = 100_000_000L;
    /**
     * How long after an assignment lag is asked only of partitions a poll returned records of. The consumer's
     * {@code currentLag} of a partition whose end offset it does not know yet sends a list-offsets request for
     * that partition alone: right after a rebalance of 1,000 partitions that was 1,000 requests per stream, and
     * the first fetch came back 2 s later. A fetch response tells the end offset of every partition in it.
     */
    private static final long LAG_AFTER_ASSIGNMENT_NANOS = 2_000_000_000L;

    private final int id;
    private final Consumer<byte[], byte[]> consumer;
    private final Delivery delivery;
    private final SubscriptionHolder subscriptions;
    private final MirrorCounters counters;
    private final HealthBoard health;
    private final MirrorListener listener;
    private final Owner owner;
    private final BooleanSupplier commitUrgently;
    private final GapHandler gaps;
    private final FlowControl flow;
    private final FlowPauses pauses;
    private final DestinationGate gate;
    private volatile boolean stopRequested;
    /** When the round in progress started, by {@link System#nanoTime()}; 0 between rounds. */
    private volatile long roundStartedNanos;
    /** The partitions this stream owns, for the health watchdog on another thread. */
    private volatile Set<TopicPartition> owned = Set.of();
    private volatile boolean stallReported;
    private volatile long stopDeadlineNanos;
    private boolean ready;
    private long subscribedVersion = -1;
    private Map<String, Uuid> topicIds = Map.of();
    private long lastLagNanos;
    private long assignedNanos;
    /** Partitions a poll returned records of since they were assigned: their consumer knows their end offset. */
    private final Set<TopicPartition> fetched = new HashSet<>();

    /** A stream numbered {@code id}, owning {@code consumer} and {@code delivery}. */
    public StreamWorker(int id, Consumer<byte[], byte[]> consumer, Delivery delivery, StreamShared shared, Owner owner) {
        this.id = id;
        this.consumer = consumer;
        this.delivery = delivery;
        this.subscriptions = shared.subscriptions();
        this.counters = shared.counters();
        this.health = shared.health();
        this.listener = shared.listener();
        this.owner = owner;
        this.commitUrgently = shared.commitUrgently();
        this.gaps = new GapHandler(shared.gapPolicy(), counters, health);
        this.flow = shared.flow();
        this.pauses = new FlowPauses(flow, health);
        this.gate = new DestinationGate(shared.routes(), shared.partitioning());
    }

    /** This stream's number, from 0. */
    public int id() {
        return id;
    }

    /**
     * Asks the stream to stop: within one poll timeout it stops polling, then drains, commits and closes
     * its clients, all before {@code deadlineNanos} ({@link System#nanoTime()}). Deliberately not
     * {@code consumer.wakeup()}: a wakeup that lands while the stream is sending stays pending and makes
     * the final {@code commitSync} throw, so a clean stop would commit nothing and a restart would mirror
     * everything since the last periodic commit again.
     */
    public void requestStop(long deadlineNanos) {
        stopDeadlineNanos = deadlineNanos;
        delivery.stopBy(deadlineNanos);
        stopRequested = true;
    }

    /** {@link #requestStop(long)} with 30 s to drain. */
    public void requestStop() {
        requestStop(System.nanoTime() + DEFAULT_STOP_TIMEOUT.toNanos());
    }

    /** The stop deadline passed and the stream is still blocked on the destination: end its blocked calls. */
    public void abandon() {
        delivery.abandon();
    }

    @Override
    public void run() {
        Throwable failure = null;
        try {
            while (!stopRequested) {
                runOnce();
            }
        } catch (Throwable t) {
            failure = t;
        }
        long deadline = stopRequested ? stopDeadlineNanos : System.nanoTime() + DEFAULT_STOP_TIMEOUT.toNanos();
        try {
            delivery.close(deadline);
        } catch (Throwable t) {
            if (failure == null) {
                failure = t;
            } else {
                failure.addSuppressed(t);
            }
        }
        try {
            consumer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        } catch (Throwable t) {
            log.warn("Stream {}: closing the consumer failed", id, t);
        }
        if (failure != null) {
            owner.streamFailed(this, failure);
        }
    }

    /**
     * The partitions of this stream if its current round has been running for longer than {@code thresholdNanos}
     * (blocked on the destination: a send waiting for metadata or buffer space, a commit, an open); they are
     * reported LAGGING until the round ends. Called from the mirror's health watchdog.
     */
    public Set<TopicPartition> stalledPartitions(long nowNanos, long thresholdNanos) {
        long started = roundStartedNanos;
        if (started == 0 || nowNanos - started < thresholdNanos) {
            return Set.of();
        }
        stallReported = true;
        return owned;
    }

    /** How long the current round has been running, in nanoseconds; 0 between rounds. */
    public long roundNanos(long nowNanos) {
        long started = roundStartedNanos;
        return started == 0 ? 0 : nowNanos - started;
    }

    /** One round: follow subscription changes, poll, send, commit when due. Package-visible for tests. */
    void runOnce() throws InterruptedException {
        roundStartedNanos = System.nanoTime();
        try {
            round();
        } finally {
            roundStartedNanos = 0;
            if (stallReported) {
                stallReported = false;
                health.clear(owned, StreamStalledException.class);
            }
        }
    }

    private void round() throws InterruptedException {
        Subscription subscription = subscriptions.current();
        if (subscription == Subscription.NONE) {
            subscriptions.awaitNewerThan(Subscription.NONE.version(), POLL_TIMEOUT); // the first topic scan is running
            return;
        }
        if (subscription.version() != subscribedVersion) {
            subscribe(subscription);
        }
        if (subscription.topics().isEmpty()) {
            markReady();
            subscriptions.awaitNewerThan(subscribedVersion, POLL_TIMEOUT);
            return;
        }
        gate.release(consumer, delivery::holds);
        gate.hold(consumer, owned);
        boolean pausedByHost = pauses.apply(consumer, tp -> delivery.holds(tp) || gate.holds(tp));
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = gate.admit(consumer, consumer.poll(POLL_TIMEOUT));
        } catch (OffsetOutOfRangeException e) {
            gaps.handle(consumer, e);
            return;
        }
        counters.read(records);
        if (fetched.size() < owned.size()) {
            fetched.addAll(records.partitions());
        }
        if (!records.isEmpty() && flow.throttle().isOn()) {
            flow.throttle().fetched(bytes(records));
        }
        delivery.send(records);
        delivery.throwIfFailed();
        delivery.maybeCommit(pausedByHost || commitUrgently.getAsBoolean());
        long now = System.nanoTime();
        if (now - lastLagNanos >= LAG_UPDATE_NANOS) {
            updateLag(now - assignedNanos >= LAG_AFTER_ASSIGNMENT_NANOS);
            lastLagNanos = now;
        }
    }

    private void subscribe(Subscription subscription) {
        subscribedVersion = subscription.version();
        restartRecreatedTopics(subscription.topicIds());
        if (subscription.topics().isEmpty()) {
            consumer.unsubscribe();
        } else {
            consumer.subscribe(subscription.topics(), new Rebalance());
        }
    }

    /** Partitions of topics whose id changed since the last subscription go on from the new topic's beginning. */
    private void restartRecreatedTopics(Map<String, Uuid> newIds) {
        List<TopicPartition> recreated = consumer.assignment().stream()
                .filter(tp -> topicIds.containsKey(tp.topic()) && newIds.containsKey(tp.topic())
                        && !Objects.equals(topicIds.get(tp.topic()), newIds.get(tp.topic())))
                .toList();
        topicIds = newIds;
        if (!recreated.isEmpty()) {
            log.warn("Stream {}: source partitions {} belong to recreated topics; going on from their beginning", id, recreated);
            delivery.restartFromBeginning(recreated);
        }
    }

    private static long bytes(ConsumerRecords<byte[], byte[]> records) {
        long bytes = 0;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            bytes += Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
        }
        return bytes;
    }

    /** Updates the lag of the assigned partitions; {@code all}: of those no poll returned records of too. */
    private void updateLag(boolean all) {
        for (TopicPartition tp : consumer.assignment()) {
            if (!all && !fetched.contains(tp)) {
                continue;
            }
            OptionalLong lag = consumer.currentLag(tp);
            if (lag.isPresent()) {
                counters.lag(tp, lag.getAsLong(), delivery.oldestUnacknowledgedTimestamp(tp));
            }
        }
    }

    private void markReady() {
        if (!ready) {
            ready = true;
            owner.streamReady(this);
        }
    }

    /** Hands rebalances to the delivery. Runs on this stream's thread, inside poll. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            delivery.revoked(partitions);
            gate.removed(partitions);
            pauses.assignmentChanged();
            counters.removed(partitions);
            health.removed(partitions);
            owned = without(partitions);
            fetched.removeAll(partitions);
            log.info("Stream {}: revoked {} partitions after committing what the destination acknowledged", id, partitions.size());
            notify(() -> listener.onPartitionsRevoked(partitions));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            delivery.lost(partitions);
            gate.removed(partitions);
            pauses.assignmentChanged();
            counters.removed(partitions);
            health.removed(partitions);
            owned = without(partitions);
            fetched.removeAll(partitions);
            log.warn("Stream {}: lost {} partitions without committing; their records after the last commit will be mirrored again",
                    id, partitions.size());
            notify(() -> listener.onPartitionsLost(partitions));
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                assignedNanos = System.nanoTime();
            }
            Set<TopicPartition> now = new HashSet<>(owned);
            now.addAll(partitions);
            owned = Set.copyOf(now);
            health.assigned(partitions);
            try {
                delivery.assigned(partitions);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new org.apache.kafka.common.errors.InterruptException(e);
            }
            pauses.assigned(consumer, partitions);
            gate.hold(consumer, partitions);
            counters.assigned(partitions);
            if (!partitions.isEmpty()) {
                log.info("Stream {}: assigned {}", id, partitions);
                notify(() -> listener.onPartitionsAssigned(partitions));
            }
            markReady();
        }

        private Set<TopicPartition> without(Collection<TopicPartition> gone) {
            Set<TopicPartition> now = new HashSet<>(owned);
            now.removeAll(gone);
            return Set.copyOf(now);
        }

        private void notify(Runnable event) {
            try {
                event.run();
            } catch (RuntimeException e) {
                log.warn("MirrorListener threw; ignored", e);
            }
        }
    }
}
