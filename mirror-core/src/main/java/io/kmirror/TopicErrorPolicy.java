package io.kmirror;

/**
 * What a mirror does when the destination refuses to create, grow or configure one topic
 * (authorization, a create-topic policy, ...), or when a custom {@link TopicNaming} maps a topic onto
 * a name it cannot use. A transient error (a timeout, a broker that has not yet applied a new topic) is
 * neither: that topic waits for the next scan, a second later, under both policies.
 */
public enum TopicErrorPolicy {
    /** Stop the mirror in {@link MirrorState#FAILED} with the destination's error for that topic. The default. */
    FAIL,
    /**
     * Leave that topic out (it is not mirrored; {@link MirrorMetrics#skippedTopics()} names it and the
     * log says why), keep mirroring the others, and try the topic again at the next topic refresh.
     */
    SKIP_TOPIC
}
