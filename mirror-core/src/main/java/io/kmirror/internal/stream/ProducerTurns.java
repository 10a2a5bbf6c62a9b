package io.kmirror.internal.stream;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which of a stream's exactly-once partitions have their transactional producer open when the process's
 * {@link ProducerHeapBudget} cannot hold producers for all of them: the others wait, paused, and take
 * turns. While partitions wait, an open one gives its producer up (after a commit) once it has read to the
 * end of its partition, or has had no records for {@link #QUIET_NANOS}; the partition that waited longest
 * opens next. Every partition is still written only through its own producer, so fencing is unchanged.
 *
 * <p>Why not after a fixed time: the consumer keeps what it fetched for a paused partition, and that pins the
 * whole fetch response it came in (megabytes, shared with other partitions) until the partition is resumed;
 * a partition taken off while it still had records fetched, hundreds of times over, ran a 256 MiB heap out of
 * memory. So a partition yields only when nothing of it is buffered: right after a poll read it to its end,
 * or after a second without records during which every poll drained the consumer's buffer (returned fewer
 * than {@code max.poll.records}). A partition that never reads to its end keeps its producer. Used from one
 * stream's thread.
 */
final class ProducerTurns {

    private static final Logger log = LoggerFactory.getLogger(ProducerTurns.class);

    /**
     * How long a partition without records keeps its producer while others wait: longer than a broker holds
     * a fetch back for want of data ({@code fetch.max.wait.ms}, 500 ms by default), so it was fetched once at least.
     */
    static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ProducerHeapBudget budget;
    private final int stream;
    private final int maxPollRecords;
    /** When a poll last returned {@code max.poll.records}: the consumer may have more buffered. */
    private long lastFullPollNanos = Long.MIN_VALUE / 2;
    private final Set<TopicPartition> waiting = new LinkedHashSet<>();
    /** The open partitions, each with when it last had records (or was opened). */
    private final Map<TopicPartition, Long> lastRecordNanos = new HashMap<>();
    /** Open partitions that had records this turn: their consumer's lag is from a fetch of this turn. */
    private final Set<TopicPartition> fetched = new HashSet<>();
    private boolean toldWaiting;

    ProducerTurns(ProducerHeapBudget budget, int stream, int maxPollRecords) {
        this.budget = budget;
        this.stream = stream;
        this.maxPollRecords = maxPollRecords;
    }

    /**
     * Of {@code partitions}, those that may open their producer now, counted in the budget; the others wait
     * behind the partitions already waiting.
     */
    List<TopicPartition> admit(Collection<TopicPartition> partitions) {
        List<TopicPartition> admitted = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            if (waiting.contains(tp)) {
                continue;
            }
            if (waiting.isEmpty() && budget.tryReserve(tp)) {
                admitted.add(tp);
            } else {
                waiting.add(tp);
            }
        }
        if (!waiting.isEmpty() && !toldWaiting) {
            toldWaiting = true;
            log.warn("Stream {}: {} source partitions wait for a transactional producer: this stream opens {}. The"
                    + " partitions take turns, each committed and its producer closed once it has read to its end or been"
                    + " quiet for {} ms, so records wait for their partition's turn; for all at once give the JVM more heap,"
                    + " run more mirror processes in the group, or write through a few producers for the whole group with"
                    + " transactionSlots(n) (command line --transaction.slots N; see the README's Exactly-once section)",
                    stream, waiting.size(), budget.describe(waiting.iterator().next()), TimeUnit.NANOSECONDS.toMillis(QUIET_NANOS));
        }
        return admitted;
    }

    /** {@code tp}'s producer is open and the partition positioned at {@code nowNanos}. */
    void opened(TopicPartition tp, long nowNanos) {
        lastRecordNanos.put(tp, nowNanos);
    }

    /** A poll returned {@code count} records at {@code nowNanos}. */
    void polled(int count, long nowNanos) {
        if (count >= maxPollRecords) {
            lastFullPollNanos = nowNanos;
        }
    }

    /** Records of {@code tp} were polled at {@code nowNanos}. */
    void polled(TopicPartition tp, long nowNanos) {
        if (lastRecordNanos.containsKey(tp)) {
            lastRecordNanos.put(tp, nowNanos);
            fetched.add(tp);
        }
    }

    /** {@code tp}'s producer is closed (a failure): its room in the budget is free. */
    void closed(TopicPartition tp) {
        lastRecordNanos.remove(tp);
        fetched.remove(tp);
        budget.release(tp);
    }

    /** {@code partitions} are no longer this stream's. */
    void removed(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            waiting.remove(tp);
            closed(tp);
        }
        if (waiting.isEmpty()) {
            toldWaiting = false;
        }
    }

    boolean anyWaiting() {
        return !waiting.isEmpty();
    }

    /**
     * Of the open partitions {@code candidates} (no commit running, nothing failed), those that should give
     * their producer up now, no more than wait.
     *
     * @param caughtUp whether the consumer's lag of a partition is 0 (as of its last fetch)
     */
    List<TopicPartition> dueToYield(Collection<TopicPartition> candidates, long nowNanos, Predicate<TopicPartition> caughtUp) {
        if (waiting.isEmpty()) {
            return List.of();
        }
        boolean drained = nowNanos - lastFullPollNanos >= QUIET_NANOS;
        List<TopicPartition> due = new ArrayList<>();
        for (TopicPartition tp : candidates) {
            if (!lastRecordNanos.containsKey(tp)) {
                continue;
            }
            boolean readToEnd = fetched.contains(tp) && caughtUp.test(tp);
            boolean quiet = drained && nowNanos - lastRecordNanos.get(tp) >= QUIET_NANOS;
            if (readToEnd || quiet) {
                due.add(tp);
            }
        }
        return due.size() > waiting.size() ? due.subList(0, waiting.size()) : due;
    }

    /** {@code tp} gave its producer up, committed, and waits for its next turn. */
    void yielded(TopicPartition tp) {
        closed(tp);
        waiting.add(tp);
    }

    /** The waiting partitions that may open their producer now, longest waiting first, counted in the budget. */
    List<TopicPartition> next() {
        List<TopicPartition> next = new ArrayList<>();
        Iterator<TopicPartition> it = waiting.iterator();
        while (it.hasNext()) {
            TopicPartition tp = it.next();
            if (!budget.tryReserve(tp)) {
                break;
            }
            it.remove();
            next.add(tp);
        }
        return next;
    }
}
