package io.kmirror.internal.stream;

import io.kmirror.Partitioning;
import io.kmirror.internal.produce.DestinationRoute;
import io.kmirror.internal.produce.DestinationRoutes;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Keeps a stream's records away from destination partitions that are not writable yet (just created, their
 * leader has not answered): such a source partition is positioned back on its first polled record and paused,
 * and resumed once its destination partition is writable, when its records are fetched again. Its records never
 * reach the delivery before, so no commit passes them. So a new topic of thousands of partitions is mirrored
 * partition by partition as the destination's leaders come up. Used from the stream's thread.
 */
final class DestinationGate {

    private final DestinationRoutes routes;
    private final Partitioning partitioning;
    private final Set<TopicPartition> waiting = new HashSet<>();

    DestinationGate(DestinationRoutes routes, Partitioning partitioning) {
        this.routes = routes;
        this.partitioning = partitioning;
    }

    /**
     * Pauses those of {@code partitions} whose destination is not writable, before anything of them is fetched: a
     * fetched partition paused afterwards keeps its fetched data buffered in the consumer (measured: 1,000 of them
     * ran a 256 MiB heap out of memory).
     */
    void hold(Consumer<byte[], byte[]> consumer, Collection<TopicPartition> partitions) {
        if (!routes.allWritable()) {
            for (TopicPartition tp : partitions) {
                if (!waiting.contains(tp) && !writable(tp)) {
                    waiting.add(tp);
                }
            }
        }
        if (!waiting.isEmpty()) {
            consumer.pause(waiting); // again: a delivery that opened or retried a partition resumed it
        }
    }

    /**
     * The records of {@code records} that may be sent now; the partitions of the others (whose destination became
     * unwritable after they were fetched: a partition added to the destination topic) are positioned back on their
     * first record and paused.
     */
    ConsumerRecords<byte[], byte[]> admit(Consumer<byte[], byte[]> consumer, ConsumerRecords<byte[], byte[]> records) {
        if (records.isEmpty() || routes.allWritable()) {
            return records;
        }
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> admitted = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> nextOffsets = new HashMap<>(records.nextOffsets());
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> polled = records.records(tp);
            if (writable(tp)) {
                admitted.put(tp, polled);
            } else {
                consumer.seek(tp, polled.get(0).offset());
                consumer.pause(List.of(tp));
                waiting.add(tp);
                nextOffsets.remove(tp);
            }
        }
        return admitted.size() == records.partitions().size() ? records : new ConsumerRecords<>(admitted, nextOffsets);
    }

    /** Resumes the held partitions whose destination is writable now, but for those {@code heldByDelivery}. */
    void release(Consumer<byte[], byte[]> consumer, Predicate<TopicPartition> heldByDelivery) {
        if (waiting.isEmpty()) {
            return;
        }
        List<TopicPartition> released = waiting.stream().filter(this::writable).toList();
        released.forEach(waiting::remove);
        // a partition its delivery holds paused is resumed by the delivery
        consumer.resume(released.stream().filter(tp -> !heldByDelivery.test(tp)).toList());
    }

    /** Whether {@code tp} is held back here. */
    boolean holds(TopicPartition tp) {
        return waiting.contains(tp);
    }

    /** The stream no longer owns {@code partitions}. */
    void removed(Collection<TopicPartition> partitions) {
        waiting.removeAll(partitions);
    }

    /**
     * Whether {@code tp}'s records may be sent now: their destination partition (with {@link Partitioning#PRESERVE}),
     * or every partition of the destination topic (records placed by key), may be written to.
     */
    private boolean writable(TopicPartition tp) {
        DestinationRoute route = routes.route(tp.topic()).orElse(null);
        if (route == null) {
            return true; // the send reports the missing route
        }
        if (partitioning == Partitioning.PRESERVE && tp.partition() < route.partitions()) {
            return routes.writable(route.topic(), tp.partition());
        }
        if (partitioning == Partitioning.PRESERVE && route.followsSource()) {
            return true; // the send grows the destination topic and waits for the new partition's leader itself
        }
        return routes.writable(route.topic());
    }
}
