package io.kmirror;

/**
 * What a mirror does when source records disappeared before it copied them: the source's retention or
 * a {@code deleteRecords} call moved the log start past the mirror's position, the log was truncated
 * below it, or the source topic was deleted and recreated under the same name. A mirror never skips
 * such a gap silently, whatever {@code auto.offset.reset} says.
 */
public enum GapPolicy {
    /**
     * Stop the mirror in {@link MirrorState#FAILED} before it copies anything of that partition past the
     * gap; {@link Mirror#failure()} is a {@link GapException} naming the topic, the partition and the
     * missing range. The default: an operator decides whether the loss is acceptable (then restarts with
     * {@link #RECORD_AND_CONTINUE}, or moves the group's offsets past the gap by hand).
     */
    FAIL,
    /**
     * Log a WARN, add the gap to {@link MirrorMetrics#gaps()}, and go on from the first record that still
     * exists (for a recreated topic: from the new topic's beginning, into the same destination topic).
     */
    RECORD_AND_CONTINUE
}
