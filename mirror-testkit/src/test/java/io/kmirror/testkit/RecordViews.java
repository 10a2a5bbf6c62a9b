package io.kmirror.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Arrays;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

/** Comparable text forms of records: key, value and headers, without topic, partition or offset. */
final class RecordViews {

    private RecordViews() {
    }

    static String of(ProducerRecord<byte[], byte[]> record) {
        return view(record.key(), record.value(), record.headers());
    }

    static String of(ConsumerRecord<byte[], byte[]> record) {
        return view(record.key(), record.value(), record.headers());
    }

    static String key(ProducerRecord<byte[], byte[]> record) {
        return text(record.key());
    }

    static String key(ConsumerRecord<byte[], byte[]> record) {
        return text(record.key());
    }

    private static String view(byte[] key, byte[] value, Headers headers) {
        String headerText = Arrays.stream(headers.toArray())
                .map(header -> header.key() + "=" + text(header.value()))
                .collect(Collectors.joining(",", "[", "]"));
        return text(key) + "|" + text(value) + "|" + headerText;
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "null" : new String(bytes, UTF_8);
    }
}
