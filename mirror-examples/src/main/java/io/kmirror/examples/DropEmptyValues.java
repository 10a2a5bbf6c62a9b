package io.kmirror.examples;

import io.kmirror.RecordTransformer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * An example {@code --message.handler}: drops records whose value is empty (zero bytes) and passes
 * every other record unchanged.
 *
 * <pre>
 * java -jar kmirror.jar --consumer.config consumer.properties --producer.config producer.properties \
 *     --whitelist testtopic --message.handler io.kmirror.examples.DropEmptyValues
 * </pre>
 *
 * <p>Tombstones (a null value) pass: on a compacted topic they delete their key, and dropping them
 * would keep deleted keys alive on the destination. Dropped records count as done: their offsets are
 * committed. Stateless and thread-safe.
 */
public final class DropEmptyValues implements RecordTransformer {

    /** The handler; it takes no arguments. */
    public DropEmptyValues() {
    }

    @Override
    public ConsumerRecord<byte[], byte[]> transform(ConsumerRecord<byte[], byte[]> record) {
        byte[] value = record.value();
        return value != null && value.length == 0 ? null : record;
    }

    @Override
    public String toString() {
        return "DropEmptyValues";
    }
}
