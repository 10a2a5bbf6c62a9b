package io.kmirror.cli;

import io.kmirror.GroupOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * A consumer group's failover plan as {@code offsets} prints it: one line per source partition, in
 * columns, offsets as plain numbers (to paste into other tools), {@code not yet mirrored} where the
 * mirror has not copied the source that far.
 */
final class OffsetsTable {

    static final String NOT_YET = "not yet mirrored";
    private static final String NONE = "-";
    private static final List<String> HEADERS = List.of("SOURCE", "SOURCE POSITION", "DESTINATION",
            "DESTINATION POSITION", "LAG", "COMMITTED ON DESTINATION");

    private OffsetsTable() {
    }

    /** The plan's lines under a header, columns separated by two spaces, each line ending in a newline. */
    static String render(List<GroupOffset> plan) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (GroupOffset line : plan) {
            rows.add(List.of(
                    name(line.source()),
                    Long.toString(line.sourcePosition()),
                    line.destination().map(OffsetsTable::name).orElse(NONE),
                    line.destinationPosition().isPresent() ? Long.toString(line.destinationPosition().getAsLong()) : NOT_YET,
                    line.lag() < 0 ? NONE : Long.toString(line.lag()),
                    line.destinationCommitted().isPresent() ? Long.toString(line.destinationCommitted().getAsLong()) : NONE));
        }
        int[] widths = new int[HEADERS.size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder s = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(row.get(i)).append(" ".repeat(widths[i] - row.get(i).length() + 2));
            }
            s.append(line.toString().stripTrailing()).append('\n');
        }
        return s.toString();
    }

    /** {@code topic-partition}, as Kafka's tools name a partition. */
    static String name(TopicPartition partition) {
        return partition.topic() + "-" + partition.partition();
    }
}
