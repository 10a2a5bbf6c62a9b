package io.kmirror.testkit.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Compares two topics partition by partition, record by record in offset order, and describes the
 * difference: which offsets are missing, differ or are unexpected on which partition, then the first
 * differing record of both topics side by side.
 */
public final class ExactComparison {

    private static final int MAX_PARTITIONS_LISTED = 5;

    private ExactComparison() {
    }

    /**
     * Returns null if {@code actual} holds exactly the records of {@code expected}: the same number of
     * partitions and, in each partition, records equal by key, value, headers (and timestamp, if
     * asked) in the same order; else the difference.
     *
     * @param actual the topic under test
     * @param expected the topic it should equal
     * @param timestamps whether timestamps must be equal too
     * @return null or the mismatch
     */
    public static Mismatch compare(TopicSnapshot actual, TopicSnapshot expected, boolean timestamps) {
        SortedMap<Integer, List<ConsumerRecord<byte[], byte[]>>> actualPartitions = actual.byPartition();
        SortedMap<Integer, List<ConsumerRecord<byte[], byte[]>>> expectedPartitions = expected.byPartition();
        TreeSet<Integer> partitions = new TreeSet<>(actualPartitions.keySet());
        partitions.addAll(expectedPartitions.keySet());
        List<String> problems = new ArrayList<>();
        if (actual.partitionCount() != expected.partitionCount()) {
            problems.add("expected " + expected.partitionCount() + " partitions, found " + actual.partitionCount());
        }
        String firstDifference = null;
        int differingPartitions = 0;
        for (int partition : partitions) {
            List<ConsumerRecord<byte[], byte[]>> want = expectedPartitions.getOrDefault(partition, List.of());
            List<ConsumerRecord<byte[], byte[]>> have = actualPartitions.getOrDefault(partition, List.of());
            PartitionDiff diff = PartitionDiff.of(want, have, timestamps);
            if (diff == null) {
                continue;
            }
            differingPartitions++;
            if (differingPartitions <= MAX_PARTITIONS_LISTED) {
                problems.add(diff.summary(partition));
            }
            if (firstDifference == null) {
                firstDifference = diff.firstDifference(partition, actual, expected, timestamps);
            }
        }
        if (differingPartitions > MAX_PARTITIONS_LISTED) {
            problems.add("and " + (differingPartitions - MAX_PARTITIONS_LISTED) + " more partitions differ");
        }
        if (problems.isEmpty()) {
            return null;
        }
        StringBuilder message = new StringBuilder("expected ").append(expected.records().size()).append(" records in ")
                .append(actual.name()).append(", found ").append(actual.records().size());
        problems.forEach(problem -> message.append("; ").append(problem));
        if (firstDifference != null) {
            message.append('\n').append(firstDifference);
        }
        message.append("\ncompared ").append(actual.topic()).append(" with ").append(expected.topic()).append(": key, value, headers")
                .append(timestamps ? " and timestamp" : "").append(" of every record, per partition in offset order");
        return Mismatch.of(message.toString());
    }

    /** How one partition differs. */
    private record PartitionDiff(List<ConsumerRecord<byte[], byte[]>> want, List<ConsumerRecord<byte[], byte[]>> have,
                                 List<Long> missing, List<Long> different, List<Long> unexpected, int firstIndex) {

        static PartitionDiff of(List<ConsumerRecord<byte[], byte[]>> want, List<ConsumerRecord<byte[], byte[]>> have,
                                boolean timestamps) {
            int firstIndex = -1;
            for (int i = 0; i < Math.max(want.size(), have.size()); i++) {
                if (i >= want.size() || i >= have.size()
                        || !RecordContent.of(want.get(i), timestamps).equals(RecordContent.of(have.get(i), timestamps))) {
                    firstIndex = i;
                    break;
                }
            }
            if (firstIndex < 0) {
                return null;
            }
            // match by content, each record of `have` used once; what stays unmatched is missing or unexpected
            Map<RecordContent, Integer> available = new HashMap<>();
            have.forEach(r -> available.merge(RecordContent.of(r, timestamps), 1, Integer::sum));
            TreeSet<Integer> unmatchedWant = new TreeSet<>();
            for (int i = 0; i < want.size(); i++) {
                RecordContent content = RecordContent.of(want.get(i), timestamps);
                Integer count = available.get(content);
                if (count == null || count == 0) {
                    unmatchedWant.add(i);
                } else {
                    available.put(content, count - 1);
                }
            }
            TreeSet<Integer> unmatchedHave = new TreeSet<>();
            for (int i = have.size() - 1; i >= 0; i--) { // the later copies of a record are the unexpected ones
                RecordContent content = RecordContent.of(have.get(i), timestamps);
                Integer count = available.get(content);
                if (count != null && count > 0) {
                    unmatchedHave.add(i);
                    available.put(content, count - 1);
                }
            }
            List<Long> missing = new ArrayList<>();
            List<Long> different = new ArrayList<>();
            List<Long> unexpected = new ArrayList<>();
            for (int i : unmatchedWant) {
                if (unmatchedHave.remove(i)) {
                    different.add(want.get(i).offset());
                } else {
                    missing.add(want.get(i).offset());
                }
            }
            unmatchedHave.forEach(i -> unexpected.add(have.get(i).offset()));
            return new PartitionDiff(want, have, missing, different, unexpected, firstIndex);
        }

        String summary(int partition) {
            List<String> parts = new ArrayList<>();
            if (!missing.isEmpty()) {
                parts.add("missing " + OffsetRanges.named(missing));
            }
            if (!different.isEmpty()) {
                parts.add((different.size() == 1 ? "a different record at " : "different records at ")
                        + OffsetRanges.named(different));
            }
            if (!unexpected.isEmpty()) {
                parts.add((unexpected.size() == 1 ? "an unexpected record at " : "unexpected records at ")
                        + OffsetRanges.named(unexpected));
            }
            if (parts.isEmpty()) {
                return "the same records in another order on partition " + partition;
            }
            return String.join(", ", parts) + " on partition " + partition;
        }

        String firstDifference(int partition, TopicSnapshot actual, TopicSnapshot expected, boolean timestamps) {
            String wanted = firstIndex < want.size()
                    ? "(" + expected.topic() + ", offset " + want.get(firstIndex).offset() + "): "
                            + RecordText.of(want.get(firstIndex), timestamps)
                    : "nothing: partition " + partition + " of " + expected.topic() + " ends after " + want.size() + " records";
            String found = firstIndex < have.size()
                    ? "(" + actual.topic() + ", offset " + have.get(firstIndex).offset() + "): "
                            + RecordText.of(have.get(firstIndex), timestamps)
                    : "nothing: partition " + partition + " of " + actual.topic() + " ends after " + have.size() + " records";
            return "first difference on partition " + partition + ", record #" + firstIndex + ":\n  expected " + wanted
                    + "\n  found    " + found;
        }
    }
}
