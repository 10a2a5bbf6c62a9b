package io.kmirror.testkit.internal;

import io.kmirror.Provenance;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.utils.Bytes;

/**
 * What two records are compared by, as a value with {@code equals} and {@code hashCode}: key, value and
 * headers byte for byte (headers in order), and the timestamp where it counts. A null key or value
 * equals only null. kmirror's provenance header ({@link Provenance#HEADER}, the clusters a record has
 * been written to) is left out: it is the mirror's own note, not the application's data.
 *
 * @param key the key, or null
 * @param value the value, or null
 * @param headers the headers, in order
 * @param timestamp the timestamp, or null where it does not count
 */
public record RecordContent(Bytes key, Bytes value, List<HeaderContent> headers, Long timestamp) {

    /**
     * One header.
     *
     * @param key the header's key
     * @param value the header's value, or null
     */
    public record HeaderContent(String key, Bytes value) {
    }

    /**
     * Returns key, value, headers and, if {@code withTimestamp}, the timestamp of a record.
     *
     * @param record the record
     * @param withTimestamp whether the timestamp counts
     * @return the content
     */
    public static RecordContent of(ConsumerRecord<byte[], byte[]> record, boolean withTimestamp) {
        return new RecordContent(Bytes.wrap(record.key()), Bytes.wrap(record.value()), headers(record),
                withTimestamp ? record.timestamp() : null);
    }

    /**
     * Returns value and headers of a record, without its key and timestamp: what the records of one
     * key are compared by.
     *
     * @param record the record
     * @return the content
     */
    public static RecordContent withoutKey(ConsumerRecord<byte[], byte[]> record) {
        return new RecordContent(null, Bytes.wrap(record.value()), headers(record), null);
    }

    private static List<HeaderContent> headers(ConsumerRecord<byte[], byte[]> record) {
        List<HeaderContent> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            if (!header.key().equals(Provenance.HEADER)) {
                headers.add(new HeaderContent(header.key(), Bytes.wrap(header.value())));
            }
        }
        return List.copyOf(headers);
    }
}
