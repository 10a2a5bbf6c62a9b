package io.kmirror.internal.offsetmap;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offset maps of the source partitions one stream (at-least-once) or one partition's transaction
 * (exactly-once) mirrors: fed with acknowledgements, written to {@link OffsetMapTopic#TOPIC} before the
 * offsets they cover are committed, so the map never claims less than was committed. Thread-safe.
 */
public final class OffsetMapRecorder {

    private static final Logger log = LoggerFactory.getLogger(OffsetMapRecorder.class);

    private final String group;
    private final Map<TopicPartition, LivePartitionMap> partitions = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Boolean> warnedScattered = new ConcurrentHashMap<>();

    /** A recorder for mirror group {@code group}. */
    public OffsetMapRecorder(String group) {
        this.group = group;
    }

    /** The destination acknowledged the record at {@code sourceOffset} of {@code source}. */
    public void acknowledged(TopicPartition source, long sourceOffset, RecordMetadata metadata) {
        if (metadata.hasOffset()) {
            partitions.computeIfAbsent(source, LivePartitionMap::new)
                    .acknowledged(sourceOffset, metadata.topic(), metadata.partition(), metadata.offset());
        }
    }

    /** Stops recording {@code removed} (revoked, lost, or started again from elsewhere). */
    public void forget(Collection<TopicPartition> removed) {
        removed.forEach(partitions::remove);
    }

    /** The map records to write before committing {@code offsets}; empty when nothing changed. */
    public List<Pending> toStore(Map<TopicPartition, OffsetAndMetadata> offsets) {
        List<Pending> pending = new ArrayList<>();
        offsets.forEach((tp, offset) -> {
            LivePartitionMap map = partitions.get(tp);
            if (map == null) {
                return;
            }
            if (map.scattered() && warnedScattered.putIfAbsent(tp, true) == null) {
                log.warn("Source partition {} is mirrored into several destination partitions (the destination topic has fewer"
                        + " partitions, or partitioning BY_KEY): its offsets cannot be translated", tp);
            }
            List<MapEntry> entries = map.toStore(group, offset.offset());
            if (!entries.isEmpty()) {
                pending.add(new Pending(map, entries));
            }
        });
        return pending;
    }

    /**
     * Sends {@code pending} through {@code producer} and waits for the destination's acknowledgement (at-least-once:
     * the offsets are committed only after it).
     *
     * @throws KafkaException if the destination did not take them in time; the offsets must not be committed then
     */
    public static void write(Producer<byte[], byte[]> producer, List<Pending> pending, long timeoutMillis)
            throws InterruptedException {
        if (pending.isEmpty()) {
            return;
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        pending.forEach(p -> p.entries().forEach(e -> sent.add(producer.send(OffsetMapTopic.record(e)))));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        try {
            for (Future<RecordMetadata> future : sent) {
                future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KafkaException k ? k : new KafkaException(e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("writing the offset map to " + OffsetMapTopic.TOPIC + " timed out", e);
        }
        pending.forEach(Pending::stored);
    }

    /** Sends {@code pending} through {@code producer} inside its open transaction (exactly-once); {@link Pending#stored} after the commit. */
    public static void sendInTransaction(Producer<byte[], byte[]> producer, List<Pending> pending) {
        pending.forEach(p -> p.entries().forEach(e -> producer.send(OffsetMapTopic.record(e))));
    }

    /** Map records of one partition waiting to be written. */
    public static final class Pending {
        private final LivePartitionMap map;
        private final List<MapEntry> entries;

        private Pending(LivePartitionMap map, List<MapEntry> entries) {
            this.map = map;
            this.entries = entries;
        }

        List<MapEntry> entries() {
            return entries;
        }

        /** The records were written (and, under exactly-once, committed). */
        public void stored() {
            map.stored(entries);
        }
    }
}
