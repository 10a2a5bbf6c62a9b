package io.kmirror.internal;

import io.kmirror.MirrorListener;
import io.kmirror.PartitionHealth;
import io.kmirror.PartitionHealth.State;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health of every source partition this mirror instance owns. Streams report what they see; a change
 * is logged (WARN when a partition leaves OK, INFO when it is back) and handed to the listener, outside
 * the lock, on the reporting thread. Thread-safe.
 */
public final class HealthBoard {

    private static final Logger log = LoggerFactory.getLogger(HealthBoard.class);

    private final MirrorListener listener;
    private final Map<TopicPartition, PartitionHealth> partitions = new HashMap<>();

    /** A board that tells {@code listener} of changes. */
    public HealthBoard(MirrorListener listener) {
        this.listener = listener;
    }

    /** {@code partition} is now owned by this instance and OK. */
    public void assigned(Collection<TopicPartition> assigned) {
        assigned.forEach(tp -> report(tp, State.OK, null));
    }

    /** {@code partition} records flow again. */
    public void ok(TopicPartition partition) {
        report(partition, State.OK, null);
    }

    /** {@code partition} is delayed by a transient fault the mirror retries. */
    public void lagging(TopicPartition partition, Throwable cause) {
        report(partition, State.LAGGING, cause);
    }

    /** {@code partition} is paused because the destination refused one of its records. */
    public void paused(TopicPartition partition, Throwable cause) {
        report(partition, State.PAUSED, cause);
    }

    /** {@code partition}'s fault stops the mirror. */
    public void failed(TopicPartition partition, Throwable cause) {
        report(partition, State.FAILED, cause);
    }

    /** Partitions LAGGING or PAUSED because of a {@code causeType} that is over are OK again. */
    public void clear(Collection<TopicPartition> partitions, Class<? extends Throwable> causeType) {
        for (TopicPartition tp : partitions) {
            PartitionHealth health;
            synchronized (this) {
                health = this.partitions.get(tp);
            }
            if (health != null && health.state() != State.FAILED && causeType.isInstance(health.cause())) {
                report(tp, State.OK, null);
            }
        }
    }

    /** The partitions left this instance (revoked or lost). */
    public synchronized void removed(Collection<TopicPartition> removed) {
        removed.forEach(partitions::remove);
    }

    /** An immutable snapshot. */
    public synchronized Map<TopicPartition, PartitionHealth> snapshot() {
        return Map.copyOf(partitions);
    }

    /** The state of {@code partition}, or null when this instance does not own it. */
    @Nullable
    public synchronized State state(TopicPartition partition) {
        PartitionHealth health = partitions.get(partition);
        return health == null ? null : health.state();
    }

    private void report(TopicPartition partition, State state, @Nullable Throwable cause) {
        PartitionHealth previous;
        PartitionHealth current;
        synchronized (this) {
            previous = partitions.get(partition);
            if (previous != null && previous.state() == state && sameCause(previous.cause(), cause)) {
                return;
            }
            if (previous != null && previous.state() == State.FAILED) {
                return; // terminal for this instance
            }
            current = new PartitionHealth(partition, state, cause,
                    previous != null && previous.state() == state ? previous.since() : Instant.now());
            partitions.put(partition, current);
        }
        if (previous != null && previous.state() == state) {
            return; // a new cause for the same state: kept, not announced again
        }
        if (state != State.OK) {
            log.warn("Source partition {} is {}: {}", partition, state, cause == null ? "" : cause.getMessage());
        } else if (previous != null) {
            log.info("Source partition {} is OK again (was {} since {})", partition, previous.state(), previous.since());
        }
        try {
            listener.onHealthChange(previous, current);
        } catch (RuntimeException e) {
            log.warn("MirrorListener.onHealthChange threw; ignored", e);
        }
    }

    private static boolean sameCause(@Nullable Throwable a, @Nullable Throwable b) {
        return a == b || a != null && b != null && Objects.equals(a.getMessage(), b.getMessage());
    }
}
