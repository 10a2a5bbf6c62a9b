package io.kmirror.internal.stream;

import io.kmirror.SendFailurePolicy;
import io.kmirror.internal.MirrorCounters;
import io.kmirror.internal.offsets.InFlightBatch;
import io.kmirror.internal.offsets.OffsetTracker;
import io.kmirror.internal.produce.DestinationRoute;
import io.kmirror.internal.produce.KeyPreservingProducer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At-least-once: records go through the stream's own producer, pipelined (the stream keeps polling
 * while they are in flight); acknowledgements only decrement counters; the source group's offsets are
 * committed only below records the destination acknowledged. One producer per stream rather than one
 * for all: the benchmark measured it as fast or faster with less CPU, and a stream's flush on a
 * rebalance then waits only for its own records.
 */
public final class AtLeastOnceDelivery implements Delivery {

    private static final Logger log = LoggerFactory.getLogger(AtLeastOnceDelivery.class);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PRODUCER_CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final int stream;
    private final Consumer<byte[], byte[]> consumer;
    private final KeyPreservingProducer producer;
    private final Outbound outbound;
    private final MirrorCounters counters;
    private final long commitIntervalNanos;
    private final OffsetTracker tracker = new OffsetTracker();
    private final AtomicReference<Exception> sendFailure = new AtomicReference<>();
    private final InFlightBatch.AckListener acks;
    private long lastCommitNanos = System.nanoTime();

    /** A delivery for stream {@code stream} through {@code producer}, which it owns and closes. */
    public AtLeastOnceDelivery(int stream, Consumer<byte[], byte[]> consumer, KeyPreservingProducer producer, Outbound outbound,
            MirrorCounters counters, SendFailurePolicy sendFailurePolicy, Duration commitInterval) {
        this.stream = stream;
        this.consumer = consumer;
        this.producer = producer;
        this.outbound = outbound;
        this.counters = counters;
        this.commitIntervalNanos = commitInterval.toNanos();
        this.acks = new InFlightBatch.AckListener() {
            @Override
            public void acknowledged(InFlightBatch batch, RecordMetadata metadata) {
                counters.acknowledged(batch.source(), metadata);
            }

            @Override
            public boolean failed(InFlightBatch batch, Exception exception) {
                if (sendFailurePolicy == SendFailurePolicy.SKIP) {
                    long skipped = counters.skipped();
                    if (skipped == 1 || skipped % 1000 == 0) {
                        log.warn("Stream {}: skipped a record of source partition {} at or after offset {} that the destination"
                                + " refused ({}); {} skipped so far (onSendFailure SKIP)", stream, batch.source(),
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

    @Override
    public void assigned(Collection<TopicPartition> partitions) {
        tracker.assigned(partitions);
        for (TopicPartition tp : partitions) {
            consumer.position(tp);
        }
    }

    @Override
    public void send(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
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
            batches[i++] = tracker.send(tp, batch.get(0).offset(), batch.get(0).timestamp(), batch.size(), acks);
        }
        i = 0;
        for (TopicPartition tp : partitions) {
            InFlightBatch inFlight = batches[i++];
            DestinationRoute route = outbound.routeFor(tp);
            for (ConsumerRecord<byte[], byte[]> record : records.records(tp)) {
                ConsumerRecord<byte[], byte[]> transformed = outbound.transform(record);
                if (transformed == null) {
                    inFlight.dropped();
                    counters.dropped();
                    continue;
                }
                try {
                    producer.send(tp.partition(), transformed, route, inFlight);
                } catch (RuntimeException e) {
                    inFlight.failWithoutSend(e);
                    throwIfFailed();
                }
            }
        }
    }

    @Override
    public void throwIfFailed() {
        Exception failure = sendFailure.get();
        if (failure != null) {
            throw failure instanceof KafkaException k ? k : new KafkaException(failure);
        }
    }

    @Override
    public OptionalLong oldestUnacknowledgedTimestamp(TopicPartition partition) {
        return tracker.oldestUnacknowledgedTimestamp(partition);
    }

    @Override
    public void maybeCommit(boolean urgent) {
        long now = System.nanoTime();
        if (!urgent && now - lastCommitNanos < commitIntervalNanos) {
            return;
        }
        lastCommitNanos = now;
        Map<TopicPartition, OffsetAndMetadata> offsets = tracker.toCommit(consumer::position);
        if (offsets.isEmpty()) {
            return;
        }
        tracker.committed(offsets);
        long started = System.nanoTime();
        consumer.commitAsync(offsets, (committed, exception) -> {
            if (exception == null) {
                counters.commitTook((System.nanoTime() - started) / 1_000_000);
                committed.forEach((tp, om) -> counters.committed(tp, om.offset()));
            } else {
                log.warn("Stream {}: committing offsets failed ({}); they are committed again later", stream, exception.toString());
            }
        });
    }

    @Override
    public void revoked(Collection<TopicPartition> partitions) {
        producer.flush();
        commitSync(partitions);
        tracker.removed(partitions);
    }

    @Override
    public void lost(Collection<TopicPartition> partitions) {
        tracker.removed(partitions);
    }

    @Override
    public void close() {
        try {
            if (tracker.hasInFlight()) {
                producer.flush();
            }
            commitSync(consumer.assignment());
        } finally {
            producer.close(PRODUCER_CLOSE_TIMEOUT);
        }
    }

    private void commitSync(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = tracker.toCommit(partitions, consumer::position);
        if (offsets.isEmpty()) {
            return;
        }
        try {
            long started = System.nanoTime();
            consumer.commitSync(offsets, COMMIT_TIMEOUT);
            counters.commitTook((System.nanoTime() - started) / 1_000_000);
            tracker.committed(offsets);
            offsets.forEach((tp, om) -> counters.committed(tp, om.offset()));
        } catch (KafkaException e) {
            log.warn("Stream {}: committing offsets of {} failed ({}); records after the last commit will be mirrored again",
                    stream, offsets.keySet(), e.toString());
        }
    }
}
