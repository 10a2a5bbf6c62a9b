package io.kmirror.internal.produce;

import io.kmirror.Partitioning;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;

/**
 * Sends source records to the destination as bytes: key, value, headers and timestamp unchanged, to
 * a partition chosen so that every key's order is kept. At-least-once gives each stream its own.
 */
public final class KeyPreservingProducer implements AutoCloseable {

    private final Producer<byte[], byte[]> producer;
    private final Partitioning partitioning;

    /** Sends through {@code producer}, choosing partitions by {@code partitioning}. */
    public KeyPreservingProducer(Producer<byte[], byte[]> producer, Partitioning partitioning) {
        this.producer = producer;
        this.partitioning = partitioning;
    }

    /**
     * Sends {@code record}, which came from {@code sourcePartition} (and may have been transformed
     * since), to {@code route}; {@code callback} hears of its acknowledgement or failure.
     */
    public void send(int sourcePartition, ConsumerRecord<byte[], byte[]> record, DestinationRoute route, Callback callback) {
        int partition = partitionFor(sourcePartition, record.key(), route.partitions(), partitioning);
        Long timestamp = record.timestamp() >= 0 ? record.timestamp() : null;
        producer.send(new ProducerRecord<>(route.topic(), partition, timestamp, record.key(), record.value(),
                record.headers()), callback);
    }

    /**
     * The destination partition of a record from {@code sourcePartition} with {@code key}, for a
     * destination topic of {@code destinationPartitions} partitions.
     */
    public static int partitionFor(int sourcePartition, byte[] key, int destinationPartitions, Partitioning partitioning) {
        if (partitioning == Partitioning.PRESERVE && sourcePartition < destinationPartitions) {
            return sourcePartition;
        }
        if (key == null) {
            return sourcePartition % destinationPartitions;
        }
        return Utils.toPositive(Utils.murmur2(key)) % destinationPartitions;
    }

    /** The producer itself, for kmirror's own records (the offset map). */
    public Producer<byte[], byte[]> producer() {
        return producer;
    }

    /** Blocks until every record sent so far is acknowledged or failed. */
    public void flush() {
        producer.flush();
    }

    /** Closes the producer, waiting up to {@code timeout} for in-flight records. */
    public void close(Duration timeout) {
        producer.close(timeout);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
