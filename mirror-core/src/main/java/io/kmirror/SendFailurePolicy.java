package io.kmirror;

/**
 * What a mirror does when the destination refuses a record for good, after the producer's own
 * retries (MirrorMaker 1's {@code --abort.on.send.failure}).
 */
public enum SendFailurePolicy {
    /**
     * Stop the mirror in {@link MirrorState#FAILED} with the cause; nothing at or after the failed
     * record's offset is committed, so a restarted mirror sends it again. The default.
     */
    FAIL,
    /**
     * Log the failure, count it in {@link MirrorMetrics#recordsSkipped()}, and go on: the record is
     * NOT on the destination and its offset is committed. For data where a gap is better than a stop.
     */
    SKIP
}
