package io.kmirror.internal.stream;

import io.kmirror.Partitioning;
import io.kmirror.RecordTransformer;
import io.kmirror.internal.MirrorCounters;
import io.kmirror.internal.produce.DestinationRoute;
import io.kmirror.internal.produce.DestinationRoutes;
import io.kmirror.internal.produce.ProvenanceStamp;
import io.kmirror.internal.produce.RecordSize;
import javax.annotation.Nullable;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;

/** What both deliveries do to a polled record before sending it: transform it and find its route. */
public final class Outbound {

    private final Consumer<byte[], byte[]> consumer;
    private final DestinationRoutes routes;
    private final RecordTransformer transformer;
    private final Partitioning partitioning;
    private final boolean checkSizes;
    private final ProvenanceStamp provenance;
    private final MirrorCounters counters;

    /**
     * Routes through {@code routes}, transforms with {@code transformer}.
     *
     * @param checkSizes whether records are checked against the destination topic's max.message.bytes before
     *                   they are sent (uncompressed producers)
     * @param provenance stamps records with the destination cluster and stops loops; null without loop prevention
     * @param counters   counts records dropped by the transformer or kept from going back where they were
     */
    public Outbound(Consumer<byte[], byte[]> consumer, DestinationRoutes routes, RecordTransformer transformer,
            Partitioning partitioning, boolean checkSizes, @Nullable ProvenanceStamp provenance, MirrorCounters counters) {
        this.consumer = consumer;
        this.routes = routes;
        this.transformer = transformer;
        this.partitioning = partitioning;
        this.checkSizes = checkSizes;
        this.provenance = provenance;
        this.counters = counters;
    }

    /**
     * The route of {@code tp}'s records. A partition the source gained since the destination topic was
     * made is added to the destination first, so that it keeps its number.
     */
    DestinationRoute routeFor(TopicPartition tp) throws InterruptedException {
        DestinationRoute route = routes.route(tp.topic()).orElseThrow(
                () -> new IllegalStateException("no destination topic was prepared for source topic " + tp.topic()));
        if (partitioning == Partitioning.PRESERVE && route.followsSource() && tp.partition() >= route.partitions()) {
            route = routes.grow(tp.topic(), Math.max(tp.partition() + 1, consumer.partitionsFor(tp.topic()).size()));
        }
        return route;
    }

    /**
     * The destination partition with {@code tp}'s number, under which exactly-once keeps {@code tp}'s
     * offset; the destination topic is grown to have it if it follows its source.
     */
    TopicPartition offsetKey(TopicPartition tp) throws InterruptedException {
        DestinationRoute route = routes.route(tp.topic()).orElseThrow(
                () -> new IllegalStateException("no destination topic was prepared for source topic " + tp.topic()));
        if (route.partitions() <= tp.partition() && route.followsSource()) {
            route = routes.grow(tp.topic(), Math.max(tp.partition() + 1, consumer.partitionsFor(tp.topic()).size()));
        }
        if (route.partitions() <= tp.partition()) {
            throw new KafkaException("EXACTLY_ONCE keeps the offset of source partition " + tp + " as the committed offset"
                    + " of destination partition " + route.topic() + "-" + tp.partition() + ", but destination topic "
                    + route.topic() + " has only " + route.partitions() + " partitions; give it at least "
                    + (tp.partition() + 1) + " (kmirror grows topics it created, not ones made smaller by hand)");
        }
        return new TopicPartition(route.topic(), tp.partition());
    }

    /**
     * Refuses {@code record} before it is sent when it is certainly larger than destination topic's
     * {@code max.message.bytes} (read again first, in case it was raised): the destination would refuse
     * it, and the producer would first split and retry batches. Not checked for compressed producers,
     * whose batches may fit after compression.
     *
     * @return the route to send it with
     * @throws RecordTooLargeException naming the record, its size and the limit
     */
    DestinationRoute checkSize(TopicPartition source, ConsumerRecord<byte[], byte[]> record, DestinationRoute route)
            throws InterruptedException {
        if (!checkSizes) {
            return route;
        }
        long size = RecordSize.lowerBound(record);
        if (size <= route.maxMessageBytes()) {
            return route;
        }
        DestinationRoute current = routes.refreshLimit(source.topic());
        if (size <= current.maxMessageBytes()) {
            return current;
        }
        throw new RecordTooLargeException("the record is at least " + size + " bytes, more than destination topic "
                + current.topic() + "'s max.message.bytes (" + current.maxMessageBytes() + ")");
    }

    /**
     * The record to send: transformed, then stamped with its provenance; null (and counted) when the
     * transformer dropped it or it was written to the destination cluster before.
     */
    @Nullable
    ConsumerRecord<byte[], byte[]> transform(ConsumerRecord<byte[], byte[]> record) {
        ConsumerRecord<byte[], byte[]> transformed;
        try {
            transformed = transformer.transform(record);
        } catch (RuntimeException e) {
            throw new KafkaException("the record transformer threw on source record " + record.topic() + "-"
                    + record.partition() + "@" + record.offset() + ": " + e, e);
        }
        if (transformed == null) {
            counters.dropped();
            return null;
        }
        if (provenance == null) {
            return transformed;
        }
        ConsumerRecord<byte[], byte[]> stamped = provenance.stamp(transformed);
        if (stamped == null) {
            counters.alreadyAtDestination();
        }
        return stamped;
    }
}
