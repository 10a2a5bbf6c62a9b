package io.kmirror.internal.stream;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a partition without a committed offset starts, from the source's {@code auto.offset.reset}
 * (earliest unless set). The mirror's consumers run with {@code auto.offset.reset=none} so that a
 * committed position the source no longer has is reported as a gap instead of reset silently; this class
 * positions the partitions that have no position yet.
 */
public final class StartPosition {

    private static final String BY_DURATION = "by_duration:";

    private final String value;
    private final Duration duration;

    private StartPosition(String value, Duration duration) {
        this.value = value;
        this.duration = duration;
    }

    /**
     * The start position {@code autoOffsetReset} names ({@code earliest}, {@code latest}, {@code none} or
     * {@code by_duration:<ISO-8601 duration>}; null means earliest).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static StartPosition of(Object autoOffsetReset) {
        String value = autoOffsetReset == null ? "earliest" : autoOffsetReset.toString().trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "earliest", "latest", "none":
                return new StartPosition(value, null);
            case "smallest", "largest":
                throw new IllegalArgumentException("'auto.offset.reset=" + value + "' is the old ZooKeeper consumer's name;"
                        + " use " + (value.equals("smallest") ? "earliest" : "latest"));
            default:
                if (value.startsWith(BY_DURATION)) {
                    try {
                        return new StartPosition(BY_DURATION, Duration.parse(value.substring(BY_DURATION.length()).toUpperCase(Locale.ROOT)));
                    } catch (DateTimeParseException e) {
                        throw new IllegalArgumentException("'auto.offset.reset=" + autoOffsetReset
                                + "' has no ISO-8601 duration after by_duration:; write e.g. by_duration:PT1H");
                    }
                }
                throw new IllegalArgumentException("'auto.offset.reset=" + autoOffsetReset
                        + "' is not a start position; use earliest, latest, none or by_duration:<ISO-8601 duration>");
        }
    }

    /** Whether partitions without a committed offset start at the end of the log. */
    public boolean isLatest() {
        return value.equals("latest");
    }

    /** Positions {@code partitions}, which have no committed offset, on the consumer. */
    public void apply(Consumer<byte[], byte[]> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return; // an empty collection means "every assigned partition" to seekToBeginning / seekToEnd
        }
        switch (value) {
            case "earliest" -> consumer.seekToBeginning(partitions);
            case "latest" -> consumer.seekToEnd(partitions);
            case "none" -> throw new KafkaException("source partitions " + partitions + " have no committed offset in the"
                    + " mirror's group and auto.offset.reset=none; set auto.offset.reset=earliest or latest to say where to start");
            default -> seekToTime(consumer, partitions, System.currentTimeMillis() - duration.toMillis());
        }
    }

    /** Positions {@code partitions} at the beginning of their logs: a recreated topic's partitions. */
    public static void fromBeginning(Consumer<byte[], byte[]> consumer, Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            consumer.seekToBeginning(partitions);
        }
    }

    private static void seekToTime(Consumer<byte[], byte[]> consumer, Collection<TopicPartition> partitions, long timestamp) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, timestamp));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, Duration.ofSeconds(30));
        List<TopicPartition> noneLater = partitions.stream().filter(tp -> found.get(tp) == null).toList();
        found.forEach((tp, offset) -> {
            if (offset != null) {
                consumer.seek(tp, offset.offset());
            }
        });
        if (!noneLater.isEmpty()) {
            consumer.seekToEnd(noneLater);
        }
    }

    @Override
    public String toString() {
        return duration == null ? value : BY_DURATION + duration;
    }
}
