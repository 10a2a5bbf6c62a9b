package io.kmirror.testkit.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Checks that a topic holds every record of another one at least as often as that one does, in any
 * partition and any order: what at-least-once delivery promises (nothing lost, duplicates allowed).
 */
public final class Coverage {

    private static final int MAX_PARTITIONS_LISTED = 5;

    private Coverage() {
    }

    /**
     * Returns null if no record of {@code expected} is missing from {@code actual}, else which offsets
     * of {@code expected} are, and the first of them.
     *
     * @param actual the topic under test
     * @param expected the topic whose records it must hold
     * @param timestamps whether timestamps must be equal too
     * @return null or the mismatch
     */
    public static Mismatch compare(TopicSnapshot actual, TopicSnapshot expected, boolean timestamps) {
        Map<RecordContent, Integer> available = new HashMap<>();
        actual.records().forEach(r -> available.merge(RecordContent.of(r, timestamps), 1, Integer::sum));
        Map<Integer, List<Long>> missing = new TreeMap<>();
        ConsumerRecord<byte[], byte[]> firstMissing = null;
        int missingCount = 0;
        for (ConsumerRecord<byte[], byte[]> record : expected.records()) {
            RecordContent content = RecordContent.of(record, timestamps);
            Integer count = available.get(content);
            if (count == null || count == 0) {
                missing.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(record.offset());
                missingCount++;
                firstMissing = firstMissing == null ? record : firstMissing;
            } else {
                available.put(content, count - 1);
            }
        }
        if (missingCount == 0) {
            return null;
        }
        StringBuilder message = new StringBuilder("expected every one of the ").append(expected.records().size())
                .append(" records of ").append(expected.topic()).append(" in ").append(actual.name()).append(", found ")
                .append(actual.records().size()).append(" records with ").append(missingCount).append(" missing");
        missing.entrySet().stream().limit(MAX_PARTITIONS_LISTED).forEach(e -> message.append("; missing ")
                .append(OffsetRanges.named(e.getValue())).append(" on partition ").append(e.getKey()));
        if (missing.size() > MAX_PARTITIONS_LISTED) {
            message.append("; and on ").append(missing.size() - MAX_PARTITIONS_LISTED).append(" more partitions");
        }
        message.append("\nfirst missing (").append(expected.topic()).append(", partition ").append(firstMissing.partition())
                .append(", offset ").append(firstMissing.offset()).append("): ").append(RecordText.of(firstMissing, timestamps))
                .append("\ncompared ").append(actual.topic()).append(" with ").append(expected.topic()).append(": key, value, headers")
                .append(timestamps ? " and timestamp" : "").append(" of every record, in any partition and order, duplicates allowed");
        return Mismatch.of(message.toString());
    }
}
