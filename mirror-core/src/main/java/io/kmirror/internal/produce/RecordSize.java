package io.kmirror.internal.produce;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * How many bytes a record takes at least in a batch of its own on the broker (format v2, uncompressed):
 * the batch header, the record's fields at their smallest encoding, the key, the value and the headers.
 * A record whose lower bound exceeds a topic's {@code max.message.bytes} is refused for certain, so the
 * mirror refuses it before sending instead of letting the producer split and retry batches.
 */
public final class RecordSize {

    /** The v2 record batch header. */
    private static final int BATCH_OVERHEAD = 61;
    /** Length, attributes, timestamp delta, offset delta, key length, value length, header count: a byte each at least. */
    private static final int RECORD_OVERHEAD = 7;

    private RecordSize() {
    }

    /** The least number of bytes {@code record} takes in a batch of its own. */
    public static long lowerBound(ConsumerRecord<byte[], byte[]> record) {
        long size = BATCH_OVERHEAD + RECORD_OVERHEAD + length(record.key()) + length(record.value());
        for (Header header : record.headers()) {
            size += 2 + header.key().length() + length(header.value());
        }
        return size;
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }
}
