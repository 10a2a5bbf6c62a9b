package io.kmirror.internal.stream;

import io.kmirror.MirrorListener;
import io.kmirror.internal.MirrorCounters;
import io.kmirror.internal.topics.Subscription;
import io.kmirror.internal.topics.SubscriptionHolder;
import java.time.Duration;
import java.util.Collection;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream: a consumer thread that follows the mirror's topic subscription, polls the source and
 * hands the records to its {@link Delivery}, which sends them and commits progress as its guarantee
 * requires. Also reports readiness (for {@code RUNNING}) and lag.
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
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** How often lag is updated: often enough that time lag, measured from the update, is off by a tenth of a second at most. */
    private static final long LAG_UPDATE_NANOS = 100_000_000L;

    private final int id;
    private final Consumer<byte[], byte[]> consumer;
    private final Delivery delivery;
    private final SubscriptionHolder subscriptions;
    private final MirrorCounters counters;
    private final MirrorListener listener;
    private final Owner owner;
    private final BooleanSupplier commitUrgently;
    private volatile boolean stopRequested;
    private boolean ready;
    private long subscribedVersion = -1;
    private long lastLagNanos;

    /** A stream numbered {@code id}, owning {@code consumer} and {@code delivery}. */
    public StreamWorker(int id, Consumer<byte[], byte[]> consumer, Delivery delivery, SubscriptionHolder subscriptions,
            MirrorCounters counters, MirrorListener listener, Owner owner, BooleanSupplier commitUrgently) {
        this.id = id;
        this.consumer = consumer;
        this.delivery = delivery;
        this.subscriptions = subscriptions;
        this.counters = counters;
        this.listener = listener;
        this.owner = owner;
        this.commitUrgently = commitUrgently;
    }

    /** This stream's number, from 0. */
    public int id() {
        return id;
    }

    /**
     * Asks the stream to stop: within one poll timeout it stops polling, drains, commits and closes its
     * consumer. Deliberately not {@code consumer.wakeup()}: a wakeup that lands while the stream is
     * sending stays pending and makes the final {@code commitSync} throw, so a clean stop would commit
     * nothing and a restart would mirror everything since the last periodic commit again.
     */
    public void requestStop() {
        stopRequested = true;
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
        try {
            delivery.close();
        } catch (Throwable t) {
            if (failure == null) {
                failure = t;
            } else {
                failure.addSuppressed(t);
            }
        }
        try {
            consumer.close(CLOSE_TIMEOUT);
        } catch (Throwable t) {
            log.warn("Stream {}: closing the consumer failed", id, t);
        }
        if (failure != null) {
            owner.streamFailed(this, failure);
        }
    }

    /** One round: follow subscription changes, poll, send, commit when due. Package-visible for tests. */
    void runOnce() throws InterruptedException {
        Subscription subscription = subscriptions.current();
        if (subscription.version() != subscribedVersion) {
            subscribe(subscription);
        }
        if (subscription.topics().isEmpty()) {
            markReady();
            subscriptions.awaitNewerThan(subscribedVersion, POLL_TIMEOUT);
            return;
        }
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
        counters.read(records);
        delivery.send(records);
        delivery.throwIfFailed();
        delivery.maybeCommit(commitUrgently.getAsBoolean());
        long now = System.nanoTime();
        if (now - lastLagNanos >= LAG_UPDATE_NANOS) {
            updateLag();
            lastLagNanos = now;
        }
    }

    private void subscribe(Subscription subscription) {
        subscribedVersion = subscription.version();
        if (subscription.topics().isEmpty()) {
            consumer.unsubscribe();
        } else {
            consumer.subscribe(subscription.topics(), new Rebalance());
        }
    }

    private void updateLag() {
        for (TopicPartition tp : consumer.assignment()) {
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
            counters.removed(partitions);
            log.info("Stream {}: revoked {} partitions after committing what the destination acknowledged", id, partitions.size());
            notify(() -> listener.onPartitionsRevoked(partitions));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            delivery.lost(partitions);
            counters.removed(partitions);
            log.warn("Stream {}: lost {} partitions without committing; their records after the last commit will be mirrored again",
                    id, partitions.size());
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            try {
                delivery.assigned(partitions);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new org.apache.kafka.common.errors.InterruptException(e);
            }
            counters.assigned(partitions);
            if (!partitions.isEmpty()) {
                log.info("Stream {}: assigned {}", id, partitions);
                notify(() -> listener.onPartitionsAssigned(partitions));
            }
            markReady();
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
