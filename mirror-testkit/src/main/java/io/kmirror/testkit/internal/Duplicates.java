package io.kmirror.testkit.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Finds duplicates in a topic. A duplicate is a record with the same key, value and headers (byte for
 * byte, headers in order) as another record of the topic, in any partition; timestamps and offsets do
 * not count. (A mirror that sends a record again after a crash makes exactly such a copy.)
 */
public final class Duplicates {

    private static final int MAX_LISTED = 5;

    private Duplicates() {
    }

    /**
     * Returns null if no record of the topic occurs twice, else the records that do, with where.
     *
     * @param topic the topic's records
     * @return null or the mismatch
     */
    public static Mismatch find(TopicSnapshot topic) {
        Map<RecordContent, List<ConsumerRecord<byte[], byte[]>>> copies = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : topic.records()) {
            copies.computeIfAbsent(RecordContent.of(record, false), c -> new ArrayList<>()).add(record);
        }
        List<List<ConsumerRecord<byte[], byte[]>>> duplicated = copies.values().stream().filter(list -> list.size() > 1).toList();
        if (duplicated.isEmpty()) {
            return null;
        }
        int extra = duplicated.stream().mapToInt(list -> list.size() - 1).sum();
        StringBuilder message = new StringBuilder("expected no duplicates in ").append(topic.name()).append(", found ");
        if (duplicated.size() == 1 && duplicated.get(0).size() == 2) {
            message.append("1 record twice");
        } else {
            message.append(duplicated.size()).append(duplicated.size() == 1 ? " record" : " records")
                    .append(" more than once (").append(extra).append(extra == 1 ? " extra copy)" : " extra copies)");
        }
        message.append(':');
        duplicated.stream().limit(MAX_LISTED).forEach(list -> message.append("\n  ").append(RecordText.of(list.get(0), false))
                .append(" at ").append(where(list)));
        if (duplicated.size() > MAX_LISTED) {
            message.append("\n  … and ").append(duplicated.size() - MAX_LISTED).append(" more");
        }
        message.append("\n(a duplicate: a record with the same key, value and headers as another record of ")
                .append(topic.topic()).append(", in any partition)");
        return Mismatch.of(message.toString());
    }

    private static String where(List<ConsumerRecord<byte[], byte[]>> copies) {
        Map<Integer, List<Long>> offsets = new LinkedHashMap<>();
        copies.forEach(r -> offsets.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r.offset()));
        return offsets.entrySet().stream()
                .map(e -> "partition " + e.getKey() + " " + (e.getValue().size() == 1 ? "offset " : "offsets ")
                        + e.getValue().stream().map(String::valueOf).collect(Collectors.joining(" and ")))
                .collect(Collectors.joining(", "));
    }
}
