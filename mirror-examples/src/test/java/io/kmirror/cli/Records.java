package io.kmirror.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Records as the tests compare them: every byte of key, value and headers (but kmirror's provenance header),
 * and the timestamp, per partition in offset order.
 */
final class Records {

    private Records() {
    }

    static Map<Integer, List<String>> byPartition(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<Integer, List<String>> partitions = new TreeMap<>();
        records.stream()
                .sorted(Comparator.comparingInt((ConsumerRecord<byte[], byte[]> r) -> r.partition())
                        .thenComparingLong(ConsumerRecord::offset))
                .forEach(r -> partitions.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(describe(r)));
        return partitions;
    }

    static String describe(ConsumerRecord<byte[], byte[]> record) {
        StringBuilder s = new StringBuilder("key=").append(hex(record.key())).append(" value=").append(hex(record.value()))
                .append(" timestamp=").append(record.timestamp()).append(" headers=");
        for (Header h : record.headers()) {
            if (!h.key().equals(io.kmirror.Provenance.HEADER)) { // kmirror's own note of where the record has been
                s.append(h.key()).append(':').append(hex(h.value())).append(';');
            }
        }
        return s.toString();
    }

    private static String hex(byte[] bytes) {
        return bytes == null ? "null" : HexFormat.of().formatHex(bytes);
    }
}
