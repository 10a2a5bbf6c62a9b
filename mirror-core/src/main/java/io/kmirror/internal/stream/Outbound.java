package io.kmirror.internal.stream;

import io.kmirror.Partitioning;
import io.kmirror.RecordTransformer;
import io.kmirror.internal.produce.DestinationRoute;
import io.kmirror.internal.produce.DestinationRoutes;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/** What both deliveries do to a polled record before sending it: transform it and find its route. */
public final class Outbound {

    private final Consumer<byte[], byte[]> consumer;
    private final DestinationRoutes routes;
    private final RecordTransformer transformer;
    private final Partitioning partitioning;

    /** Routes through {@code routes}, transforms with {@code transformer}. */
    public Outbound(Consumer<byte[], byte[]> consumer, DestinationRoutes routes, RecordTransformer transformer,
            Partitioning partitioning) {
        this.consumer = consumer;
        this.routes = routes;
        this.transformer = transformer;
        this.partitioning = partitioning;
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

    /** The record to send, or null when the transformer dropped it. */
    ConsumerRecord<byte[], byte[]> transform(ConsumerRecord<byte[], byte[]> record) {
        try {
            return transformer.transform(record);
        } catch (RuntimeException e) {
            throw new KafkaException("the record transformer threw on source record " + record.topic() + "-"
                    + record.partition() + "@" + record.offset() + ": " + e, e);
        }
    }
}
