package io.kmirror.internal.stream;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Partitions waiting to be retried after a failure, each with a backoff that doubles with every failure
 * in a row (up to a cap) and starts over once the partition recovers. Used from one stream's thread.
 */
final class RetrySchedule {

    private static final long NOT_SCHEDULED = Long.MAX_VALUE;

    private final long firstBackoffNanos;
    private final long maxBackoffNanos;
    private final Map<TopicPartition, Entry> entries = new HashMap<>();

    private static final class Entry {
        long retryAtNanos;
        long backoffNanos;
        final long failingSinceNanos;

        Entry(long failingSinceNanos) {
            this.failingSinceNanos = failingSinceNanos;
        }
    }

    RetrySchedule(long firstBackoffNanos, long maxBackoffNanos) {
        this.firstBackoffNanos = firstBackoffNanos;
        this.maxBackoffNanos = maxBackoffNanos;
    }

    /** {@code partition} failed at {@code nowNanos}: its retry is due after its next backoff. */
    void failed(TopicPartition partition, long nowNanos) {
        Entry entry = entries.computeIfAbsent(partition, tp -> new Entry(nowNanos));
        entry.backoffNanos = entry.backoffNanos == 0 ? firstBackoffNanos : Math.min(maxBackoffNanos, entry.backoffNanos * 2);
        entry.retryAtNanos = nowNanos + entry.backoffNanos;
    }

    /** The partitions whose retry is due; each is returned once per failure. */
    List<TopicPartition> due(long nowNanos) {
        List<TopicPartition> due = new ArrayList<>();
        entries.forEach((tp, entry) -> {
            if (entry.retryAtNanos <= nowNanos) {
                entry.retryAtNanos = NOT_SCHEDULED;
                due.add(tp);
            }
        });
        return due;
    }

    /** Whether {@code partition} failed and has not recovered since. */
    boolean contains(TopicPartition partition) {
        return entries.containsKey(partition);
    }

    /** Whether {@code partition} failed and waits for its retry, which is not due yet. */
    boolean waiting(TopicPartition partition) {
        Entry entry = entries.get(partition);
        return entry != null && entry.retryAtNanos != NOT_SCHEDULED;
    }

    /** Since when {@code partition} has been failing, by {@link System#nanoTime()}. */
    long failingSinceNanos(TopicPartition partition) {
        Entry entry = entries.get(partition);
        return entry == null ? System.nanoTime() : entry.failingSinceNanos;
    }

    /** {@code partition} works again: the next failure starts with the first backoff. */
    void recovered(TopicPartition partition) {
        entries.remove(partition);
    }

    /** The partitions left the stream. */
    void removed(Collection<TopicPartition> partitions) {
        partitions.forEach(entries::remove);
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }
}
