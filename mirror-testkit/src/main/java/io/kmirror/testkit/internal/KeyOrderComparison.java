package io.kmirror.testkit.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Bytes;

/**
 * Compares two topics key by key: for every key, the records of that key (value and headers), read
 * partition by partition in offset order, must be the same sequence in both topics. Partition numbers
 * and counts may differ (a destination with fewer partitions); records without a key are left out.
 */
public final class KeyOrderComparison {

    private static final int MAX_KEYS_LISTED = 5;

    private KeyOrderComparison() {
    }

    /**
     * Returns null if every key has the same records in the same order in both topics, else which keys
     * differ and the first difference of the first of them.
     *
     * @param actual the topic under test
     * @param expected the topic whose order it should keep
     * @return null or the mismatch
     */
    public static Mismatch compare(TopicSnapshot actual, TopicSnapshot expected) {
        Map<Bytes, List<ConsumerRecord<byte[], byte[]>>> want = byKey(expected);
        Map<Bytes, List<ConsumerRecord<byte[], byte[]>>> have = byKey(actual);
        List<Bytes> differing = new ArrayList<>();
        String firstDifference = null;
        for (Map.Entry<Bytes, List<ConsumerRecord<byte[], byte[]>>> entry : want.entrySet()) {
            List<ConsumerRecord<byte[], byte[]>> found = have.getOrDefault(entry.getKey(), List.of());
            String difference = firstDifference(entry.getKey(), entry.getValue(), found, actual, expected);
            if (difference != null) {
                differing.add(entry.getKey());
                firstDifference = firstDifference == null ? difference : firstDifference;
            }
        }
        List<Bytes> unexpectedKeys = have.keySet().stream().filter(key -> !want.containsKey(key)).toList();
        if (differing.isEmpty() && unexpectedKeys.isEmpty()) {
            return null;
        }
        StringBuilder message = new StringBuilder("expected the records of each key in ").append(actual.name())
                .append(" in the order of ").append(expected.topic());
        if (!differing.isEmpty()) {
            message.append(", but ").append(differing.size()).append(" of ").append(want.size())
                    .append(differing.size() == 1 ? " keys differs: " : " keys differ: ").append(keys(differing));
        }
        if (!unexpectedKeys.isEmpty()) {
            message.append(differing.isEmpty() ? ", but " : "; ").append(unexpectedKeys.size())
                    .append(unexpectedKeys.size() == 1 ? " key is not in " : " keys are not in ").append(expected.topic())
                    .append(": ").append(keys(unexpectedKeys));
        }
        if (firstDifference != null) {
            message.append('\n').append(firstDifference);
        }
        message.append("\ncompared ").append(actual.topic()).append(" with ").append(expected.topic())
                .append(": value and headers of each key's records, partition by partition in offset order;"
                        + " records without a key are not compared");
        return Mismatch.of(message.toString());
    }

    private static String firstDifference(Bytes key, List<ConsumerRecord<byte[], byte[]>> want,
                                          List<ConsumerRecord<byte[], byte[]>> have, TopicSnapshot actual, TopicSnapshot expected) {
        for (int i = 0; i < Math.max(want.size(), have.size()); i++) {
            if (i < want.size() && i < have.size()
                    && RecordContent.withoutKey(want.get(i)).equals(RecordContent.withoutKey(have.get(i)))) {
                continue;
            }
            String wanted = i < want.size() ? "(" + at(expected, want.get(i)) + "): " + RecordText.valueAndHeaders(want.get(i))
                    : "nothing: the key has " + want.size() + " records in " + expected.topic();
            String found = i < have.size() ? "(" + at(actual, have.get(i)) + "): " + RecordText.valueAndHeaders(have.get(i))
                    : "nothing: the key has " + have.size() + " records in " + actual.topic();
            return "first difference for key " + RecordText.bytes(key.get()) + ", its record #" + i + ":\n  expected "
                    + wanted + "\n  found    " + found;
        }
        return null;
    }

    private static String at(TopicSnapshot snapshot, ConsumerRecord<byte[], byte[]> record) {
        return snapshot.topic() + ", partition " + record.partition() + ", offset " + record.offset();
    }

    private static Map<Bytes, List<ConsumerRecord<byte[], byte[]>>> byKey(TopicSnapshot snapshot) {
        Map<Bytes, List<ConsumerRecord<byte[], byte[]>>> keys = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : snapshot.records()) {
            if (record.key() != null) {
                keys.computeIfAbsent(Bytes.wrap(record.key()), k -> new ArrayList<>()).add(record);
            }
        }
        return keys;
    }

    private static String keys(List<Bytes> keys) {
        List<String> shown = keys.stream().limit(MAX_KEYS_LISTED).map(key -> RecordText.bytes(key.get())).toList();
        return String.join(", ", shown) + (keys.size() > MAX_KEYS_LISTED ? ", … (" + (keys.size() - MAX_KEYS_LISTED) + " more)" : "");
    }
}
