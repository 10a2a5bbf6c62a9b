package io.kmirror;

/**
 * What a mirror does when the destination refuses a record for good, after the producer's own retries
 * (MirrorMaker 1's {@code --abort.on.send.failure}).
 *
 * <p>A policy covers refusals of one record: it is too large for the destination
 * ({@code max.message.bytes}, {@code max.request.size}), invalid, or has a timestamp the destination
 * rejects. Cluster-wide failures stop the mirror in {@link MirrorState#FAILED} under every policy: the
 * destination unreachable for longer than the producer's {@code delivery.timeout.ms}, a failed
 * authentication, a missing permission. Nothing is ever skipped because the destination was down.
 */
public enum SendFailurePolicy {
    /**
     * Stop the mirror in {@link MirrorState#FAILED}, naming the topic, partition and offset of the refused
     * record; nothing at or after that offset is committed, so a restarted mirror sends it again. The
     * default.
     */
    FAIL,
    /**
     * Log the refusal, count it in {@link MirrorMetrics#recordsSkipped()}, and go on: the record is NOT on
     * the destination and its offset is committed. For data where a gap is better than a stop. Not
     * allowed with {@link DeliveryGuarantee#EXACTLY_ONCE}.
     */
    SKIP,
    /**
     * Pause just that partition ({@link PartitionHealth.State#PAUSED} in {@link Mirror#health()}) and
     * retry it from the refused record with a growing backoff (1 s, doubling, at most 1 min) until the
     * destination takes it, for instance after its {@code max.message.bytes} was raised; nothing from the
     * refused record on is committed, and the other partitions flow on. With
     * {@link DeliveryGuarantee#AT_LEAST_ONCE} a retry may send records again that had reached the
     * destination after the refused one.
     */
    PAUSE_PARTITION
}
