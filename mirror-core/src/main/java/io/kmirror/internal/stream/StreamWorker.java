package io.kmirror.internal.stream;

import io.kmirror.MirrorListener;
import io.kmirror.Partitioning;
import io.kmirror.RecordTransformer;
import io.kmirror.SendFailurePolicy;
import io.kmirror.internal.MirrorCounters;
import io.kmirror.internal.offsets.InFlightBatch;
import io.kmirror.internal.offsets.OffsetTracker;
import io.kmirror.internal.produce.DestinationRoute;
import io.kmirror.internal.produce.KeyPreservingProducer;
import io.kmirror.internal.produce.DestinationRoutes;
import io.kmirror.internal.topics.Subscription;
import io.kmirror.internal.topics.SubscriptionHolder;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream: a consumer thread that polls the source, sends every record to the destination, and
 * commits only the offsets below which the destination acknowledged everything. Sends are pipelined:
 * the thread keeps polling while records are in flight; acknowledgements arrive on the producer's
 * thread and only decrement counters.
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
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(30);
    private static final long LAG_UPDATE_NANOS = 500_000_000L;

    private final int id;
    private final Consumer<byte[], byte[]> consumer;
    private final KeyPreservingProducer producer;
    private final DestinationRoutes destinationTopics;
    private final SubscriptionHolder subscriptions;
    private final MirrorCounters counters;
    private final MirrorListener listener;
    private final Owner owner;
    private final RecordTransformer transformer;
    private final Partitioning partitioning;
    private final long commitIntervalNanos;
    private final BooleanSupplier commitUrgently;
    private final OffsetTracker tracker = new OffsetTracker();
    private final AtomicReference<Exception> sendFailure = new AtomicReference<>();
    private final InFlightBatch.AckListener acks;
    private volatile boolean stopRequested;
    private boolean ready;
    private long subscribedVersion = -1;
    private long lastCommitNanos = System.nanoTime();
    private long lastLagNanos;

    /** A stream numbered {@code id}, owning {@code consumer}. */
    public StreamWorker(int id, Consumer<byte[], byte[]> consumer, KeyPreservingProducer producer,
            DestinationRoutes destinationTopics, SubscriptionHolder subscriptions, MirrorCounters counters,
            MirrorListener listener, Owner owner, RecordTransformer transformer, SendFailurePolicy sendFailurePolicy,
            Partitioning partitioning, Duration commitInterval, BooleanSupplier commitUrgently) {
        this.id = id;
        this.consumer = consumer;
        this.producer = producer;
        this.destinationTopics = destinationTopics;
        this.subscriptions = subscriptions;
        this.counters = counters;
        this.listener = listener;
        this.owner = owner;
        this.transformer = transformer;
        this.partitioning = partitioning;
        this.commitIntervalNanos = commitInterval.toNanos();
        this.commitUrgently = commitUrgently;
        this.acks = new InFlightBatch.AckListener() {
            @Override
            public void acknowledged(RecordMetadata metadata) {
                counters.acknowledged(metadata);
            }

            @Override
            public boolean failed(InFlightBatch batch, Exception exception) {
                if (sendFailurePolicy == SendFailurePolicy.SKIP) {
                    long skipped = counters.skipped();
                    if (skipped == 1 || skipped % 1000 == 0) {
                        log.warn("Stream {}: skipped a record of source partition {} at or after offset {} that the destination"
                                + " refused ({}); {} skipped so far (onSendFailure SKIP)", id, batch.source(),
                                batch.firstOffset(), exception.toString(), skipped);
                    }
                    return true;
                }
                sendFailure.compareAndSet(null, new KafkaException("a record of source partition " + batch.source()
                        + " at or after offset " + batch.firstOffset() + " could not be written to the destination: "
                        + exception, exception));
                return false;
            }
        };
    }

    /** This stream's number, from 0. */
    public int id() {
        return id;
    }

    /** Asks the stream to stop: it stops polling, drains, commits and closes its consumer. */
    public void requestStop() {
        stopRequested = true;
        consumer.wakeup();
    }

    @Override
    public void run() {
        Throwable failure = null;
        try {
            while (!stopRequested) {
                runOnce();
            }
        } catch (WakeupException e) {
            if (!stopRequested) {
                failure = e;
            }
        } catch (Throwable t) {
            failure = t;
        }
        try {
            drainAndCommit();
        } catch (Throwable t) {
            if (failure == null) {
                failure = t;
            } else {
                failure.addSuppressed(t);
            }
        }
        try {
            consumer.close(COMMIT_TIMEOUT);
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
        send(records);
        throwIfSendFailed();
        long now = System.nanoTime();
        if (commitUrgently.getAsBoolean() || now - lastCommitNanos >= commitIntervalNanos) {
            commitAsync();
            lastCommitNanos = now;
        }
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

    private void send(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
        if (records.isEmpty()) {
            return;
        }
        // Every partition's batch is registered before the first send: if a send throws, the batches
        // not yet sent stay incomplete, so their offsets are never committed.
        Set<TopicPartition> partitions = records.partitions();
        InFlightBatch[] batches = new InFlightBatch[partitions.size()];
        int i = 0;
        for (TopicPartition tp : partitions) {
            List<ConsumerRecord<byte[], byte[]>> batch = records.records(tp);
            batches[i++] = tracker.send(tp, batch.get(0).offset(), batch.size(), acks);
        }
        i = 0;
        for (TopicPartition tp : partitions) {
            InFlightBatch inFlight = batches[i++];
            DestinationRoute route = routeFor(tp);
            for (ConsumerRecord<byte[], byte[]> record : records.records(tp)) {
                ConsumerRecord<byte[], byte[]> transformed = transform(record);
                if (transformed == null) {
                    inFlight.dropped();
                    counters.dropped();
                    continue;
                }
                try {
                    producer.send(tp.partition(), transformed, route, inFlight);
                } catch (RuntimeException e) {
                    inFlight.failWithoutSend(e);
                    throwIfSendFailed();
                }
            }
        }
    }

    /**
     * The route of {@code tp}'s records. A partition the source gained since the destination topic was
     * made is added to the destination first, so that it keeps its number.
     */
    private DestinationRoute routeFor(TopicPartition tp) throws InterruptedException {
        DestinationRoute route = destinationTopics.route(tp.topic()).orElseThrow(
                () -> new IllegalStateException("no destination topic was prepared for source topic " + tp.topic()));
        if (partitioning == Partitioning.PRESERVE && route.followsSource() && tp.partition() >= route.partitions()) {
            route = destinationTopics.grow(tp.topic(), Math.max(tp.partition() + 1, consumer.partitionsFor(tp.topic()).size()));
        }
        return route;
    }

    private ConsumerRecord<byte[], byte[]> transform(ConsumerRecord<byte[], byte[]> record) {
        try {
            return transformer.transform(record);
        } catch (RuntimeException e) {
            throw new KafkaException("the record transformer threw on source record " + record.topic() + "-"
                    + record.partition() + "@" + record.offset() + ": " + e, e);
        }
    }

    private void throwIfSendFailed() {
        Exception failure = sendFailure.get();
        if (failure != null) {
            throw failure instanceof KafkaException k ? k : new KafkaException(failure);
        }
    }

    private void commitAsync() {
        Map<TopicPartition, OffsetAndMetadata> offsets = tracker.toCommit(consumer::position);
        if (offsets.isEmpty()) {
            return;
        }
        tracker.committed(offsets);
        consumer.commitAsync(offsets, (committed, exception) -> {
            if (exception == null) {
                committed.forEach((tp, om) -> counters.committed(tp, om.offset()));
            } else {
                log.warn("Stream {}: committing offsets failed ({}); they are committed again later", id, exception.toString());
            }
        });
    }

    private void commitSync(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = tracker.toCommit(partitions, consumer::position);
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, COMMIT_TIMEOUT);
            tracker.committed(offsets);
            offsets.forEach((tp, om) -> counters.committed(tp, om.offset()));
        } catch (KafkaException e) {
            log.warn("Stream {}: committing offsets of {} failed ({}); records after the last commit will be mirrored again",
                    id, offsets.keySet(), e.toString());
        }
    }

    /** Waits for every in-flight record, then commits what the destination acknowledged. */
    private void drainAndCommit() {
        if (tracker.hasInFlight()) {
            producer.flush();
        }
        commitSync(consumer.assignment());
    }

    private void updateLag() {
        for (TopicPartition tp : consumer.assignment()) {
            OptionalLong lag = consumer.currentLag(tp);
            if (lag.isPresent()) {
                counters.lag(tp, lag.getAsLong());
            }
        }
    }

    private void markReady() {
        if (!ready) {
            ready = true;
            owner.streamReady(this);
        }
    }

    /** Drains and commits before partitions go; positions new ones. Runs on this stream's thread, inside poll. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            producer.flush();
            commitSync(partitions);
            tracker.removed(partitions);
            counters.removed(partitions);
            log.info("Stream {}: revoked {} partitions after committing what the destination acknowledged", id, partitions.size());
            notify(() -> listener.onPartitionsRevoked(partitions));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            tracker.removed(partitions);
            counters.removed(partitions);
            log.warn("Stream {}: lost {} partitions without committing; their records after the last commit will be mirrored again",
                    id, partitions.size());
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            tracker.assigned(partitions);
            for (TopicPartition tp : partitions) {
                consumer.position(tp);
            }
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
