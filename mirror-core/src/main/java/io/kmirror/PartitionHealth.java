package io.kmirror;

import java.time.Instant;
import java.util.Objects;
import javax.annotation.Nullable;
import org.apache.kafka.common.TopicPartition;

/**
 * The health of one source partition that this mirror instance owns, from {@link Mirror#health()} and
 * {@link MirrorListener#onHealthChange}.
 *
 * @param partition the source partition
 * @param state     its state
 * @param cause     why it is not {@link State#OK}; null when it is
 * @param since     when it entered this state
 */
public record PartitionHealth(TopicPartition partition, State state, @Nullable Throwable cause, Instant since) {

    /** A partition's state. */
    public enum State {
        /** Records flow and are committed. */
        OK,
        /**
         * Records are delayed by a transient fault that the mirror retries by itself: the destination has
         * not acknowledged records for a while, or a transaction failed and is being retried from the last
         * committed offset. A fault that lasts longer than the producer's {@code delivery.timeout.ms}
         * fails the mirror.
         */
        LAGGING,
        /**
         * The partition is paused: the destination refused one of its records under
         * {@link SendFailurePolicy#PAUSE_PARTITION}. It is retried with a growing backoff; nothing from the
         * refused record on is committed; the other partitions flow.
         */
        PAUSED,
        /** The partition's fault stopped the mirror ({@link Mirror#failure()} says which). */
        FAILED
    }

    /** Checks the arguments. */
    public PartitionHealth {
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(since, "since");
    }

    @Override
    public String toString() {
        return partition + " " + state + (cause == null ? "" : " (" + cause.getMessage() + ")") + " since " + since;
    }
}
