package io.kmirror;

import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Rewrites or drops source records before they are sent to the destination (MirrorMaker 1's
 * {@code --message.handler}). Returns the record unchanged, a changed copy (another key, value,
 * headers or timestamp), or {@code null} to drop it. The topic, partition and offset of the returned
 * record are ignored: where a record goes is decided by {@link TopicNaming} and {@link Partitioning}
 * from the source record.
 *
 * <p>Called on the stream thread that polled the record, once per record, in source order per
 * partition. An implementation shared by several streams must be thread-safe. An exception thrown by
 * a transformer stops the mirror ({@link MirrorState#FAILED}, naming the record) rather than dropping
 * the record silently; a dropped record counts as done and its offset is committed.
 */
@FunctionalInterface
public interface RecordTransformer {

    /** The record to send, or {@code null} to drop it. */
    @Nullable
    ConsumerRecord<byte[], byte[]> transform(ConsumerRecord<byte[], byte[]> record);

    /** This transformer, then {@code next} on what it returns (a dropped record stays dropped). */
    default RecordTransformer andThen(RecordTransformer next) {
        Objects.requireNonNull(next, "next");
        return record -> {
            ConsumerRecord<byte[], byte[]> transformed = transform(record);
            return transformed == null ? null : next.transform(transformed);
        };
    }

    /** Sends every record unchanged. The default. */
    static RecordTransformer identity() {
        return record -> record;
    }
}
