package io.kmirror.internal.stream;

import io.kmirror.StartPosition;
import java.time.Duration;
import java.time.Instant;
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
 * Where a partition without a committed offset starts: the builder's {@code startFrom}, else the
 * source's {@code auto.offset.reset} (earliest unless set). The mirror's consumers run with {@code auto.offset.reset=none} so that a
 * committed position the source no longer has is reported as a gap instead of reset silently; this class
 * positions the partitions that have no position yet.
 */
public final class InitialPosition {

    private static final String BY_DURATION = "by_duration:";

    private static final String TIMESTAMP = "timestamp:";

    private final String value;
    private final Duration duration;
    private final Instant time;

    private InitialPosition(String value, Duration duration) {
        this(value, duration, null);
    }

    private InitialPosition(String value, Duration duration, Instant time) {
        this.value = value;
        this.duration = duration;
        this.time = time;
    }

    /** The start position the builder's {@code startFrom} names. */
    public static InitialPosition from(StartPosition position) {
        if (position.isEarliest()) {
            return new InitialPosition("earliest", null);
        }
        if (position.isLatest()) {
            return new InitialPosition("latest", null);
        }
        return new InitialPosition(TIMESTAMP, null, position.time().orElseThrow());
    }

    /**
     * The start position {@code autoOffsetReset} names ({@code earliest}, {@code latest}, {@code none} or
     * {@code by_duration:<ISO-8601 duration>}; null means earliest).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static InitialPosition of(Object autoOffsetReset) {
        String value = autoOffsetReset == null ? "earliest" : autoOffsetReset.toString().trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "earliest", "latest", "none":
                return new InitialPosition(value, null);
            case "smallest", "largest":
                throw new IllegalArgumentException("'auto.offset.reset=" + value + "' is the old ZooKeeper consumer's name;"
                        + " use " + (value.equals("smallest") ? "earliest" : "latest"));
            default:
                if (value.startsWith(BY_DURATION)) {
                    try {
                        return new InitialPosition(BY_DURATION, Duration.parse(value.substring(BY_DURATION.length()).toUpperCase(Locale.ROOT)));
                    } catch (DateTimeParseException e) {
                        throw new IllegalArgumentException("'auto.offset.reset=" + autoOffsetReset
                                + "' has no ISO-8601 duration after by_duration:; write e.g. by_duration:PT1H");
                    }
                }
                throw new IllegalArgumentException("'auto.offset.reset=" + autoOffsetReset
                        + "' is not a start position; use earliest, latest, none or by_duration:<ISO-8601 duration>");
        }
    }

    /** Whether partitions without a committed offset start at the beginning of the log. */
    public boolean isEarliest() {
        return value.equals("earliest");
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
            case TIMESTAMP -> seekToTime(consumer, partitions, time.toEpochMilli());
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
        return time != null ? TIMESTAMP + time : duration == null ? value : BY_DURATION + duration;
    }
}
