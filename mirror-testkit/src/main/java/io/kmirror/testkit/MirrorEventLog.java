package io.kmirror.testkit;

import io.kmirror.MirrorListener;
import io.kmirror.MirrorState;
import io.kmirror.PartitionHealth;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

import org.apache.kafka.common.TopicPartition;

/**
 * A {@link MirrorListener} that keeps a mirror's most recent events, to read in a test or to print
 * when a test fails. {@link MirrorClustersExtension} hands one to any test that declares a parameter
 * of this type and adds its events to the failure of a test that fails:
 *
 * <pre>{@code
 * @Test
 * void mirrors(@Source TestKafkaCluster source, @Destination TestKafkaCluster destination, MirrorEventLog events) {
 *     try (Mirror mirror = Mirror.builder()...listener(events).build()) { ... }
 * }
 * }</pre>
 *
 * <p>Events are texts such as {@code "state STARTING -> RUNNING"}, {@code "assigned orders-0, orders-1"},
 * {@code "revoked orders-0"} and {@code "created destination topic eu.orders with 4 partitions"}, each
 * with its time and the thread that reported it (a mirror's threads are named
 * {@code kmirror-<group>-...}, so one log can serve several mirrors). Only the last
 * {@linkplain #capacity() capacity} events are kept. Thread-safe.
 */
public final class MirrorEventLog implements MirrorListener {

    /** The number of events kept unless told otherwise. */
    public static final int DEFAULT_CAPACITY = 200;

    private final int capacity;
    private final Instant created = Instant.now();
    private final Deque<Event> events = new ArrayDeque<>(); // guarded by this
    private long dropped; // guarded by this

    /**
     * One event of a mirror.
     *
     * @param at when it was reported
     * @param thread the name of the thread that reported it
     * @param description what happened, e.g. {@code "state STARTING -> RUNNING"}
     */
    public record Event(Instant at, String thread, String description) {
    }

    /** Creates a log that keeps the last {@value #DEFAULT_CAPACITY} events. */
    public MirrorEventLog() {
        this(DEFAULT_CAPACITY);
    }

    /**
     * Creates a log that keeps the last {@code capacity} events.
     *
     * @param capacity at least 1
     * @throws IllegalArgumentException if {@code capacity < 1}
     */
    public MirrorEventLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Returns how many events the log keeps.
     *
     * @return the capacity
     */
    public int capacity() {
        return capacity;
    }

    /**
     * Returns the events kept, oldest first.
     *
     * @return a copy, unmodifiable
     */
    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /**
     * Returns the descriptions of the events kept, oldest first, e.g. to assert
     * {@code containsSubsequence("state CREATED -> STARTING", "state STARTING -> RUNNING")}.
     *
     * @return a copy, unmodifiable
     */
    public List<String> descriptions() {
        return events().stream().map(Event::description).toList();
    }

    /**
     * Returns how many older events were dropped because the log was full.
     *
     * @return the number dropped
     */
    public synchronized long dropped() {
        return dropped;
    }

    /**
     * Returns the events as lines for a person, oldest first, each with its time since the log was
     * created and its thread, e.g. {@code "  +1.204 s [kmirror-orders-stream-0] assigned orders-0"}.
     *
     * @return the text; {@code "no mirror events"} if there are none
     */
    public String format() {
        List<Event> kept;
        long droppedNow;
        synchronized (this) {
            kept = List.copyOf(events);
            droppedNow = dropped;
        }
        if (kept.isEmpty()) {
            return "no mirror events";
        }
        StringBuilder text = new StringBuilder("recent mirror events, oldest first");
        if (droppedNow > 0) {
            text.append(" (").append(droppedNow).append(" older ones dropped)");
        }
        text.append(':');
        for (Event event : kept) {
            double seconds = Duration.between(created, event.at()).toMillis() / 1000.0;
            text.append(String.format(Locale.ROOT, "%n  +%.3f s [%s] %s", seconds, event.thread(), event.description()));
        }
        return text.toString();
    }

    /** Returns {@link #format()}. */
    @Override
    public String toString() {
        return format();
    }

    /** Records {@code "state <from> -> <to>"}. */
    @Override
    public void onStateChange(MirrorState from, MirrorState to) {
        add("state " + from + " -> " + to);
    }

    /** Records {@code "assigned <partitions>"}. */
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        add("assigned " + partitions(partitions));
    }

    /** Records {@code "revoked <partitions>"}. */
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        add("revoked " + partitions(partitions));
    }

    /** Records {@code "lost <partitions>"}. */
    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        add("lost " + partitions(partitions));
    }

    /** Records {@code "health <partition> <state>"}, with the cause when there is one. */
    @Override
    public void onHealthChange(PartitionHealth previous, PartitionHealth current) {
        add("health " + current.partition() + " " + current.state()
                + (current.cause() == null ? "" : ": " + current.cause().getMessage()));
    }

    /** Records {@code "created destination topic <topic> with <n> partitions"}. */
    @Override
    public void onDestinationTopicCreated(String topic, int partitions) {
        add("created destination topic " + topic + " with " + partitions + (partitions == 1 ? " partition" : " partitions"));
    }

    /**
     * Records an event of the test's own, e.g. {@code "stopping broker 2"}, so that it shows among the
     * mirror's events.
     *
     * @param description what happened
     */
    public void note(String description) {
        add(Objects.requireNonNull(description, "description must not be null"));
    }

    private synchronized void add(String description) {
        if (events.size() == capacity) {
            events.removeFirst();
            dropped++;
        }
        events.addLast(new Event(Instant.now(), Thread.currentThread().getName(), description));
    }

    private static String partitions(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return "no partitions";
        }
        return partitions.stream().map(TopicPartition::toString).sorted().collect(Collectors.joining(", "));
    }
}
