package io.kmirror.internal.topics;

import java.util.Set;

/**
 * The source topics the streams subscribe to; a new version whenever the set changes.
 *
 * @param version increases with every change
 * @param topics  the source topics, each with a writable destination topic
 */
public record Subscription(long version, Set<String> topics) {
    /** Before the first topic scan. */
    public static final Subscription NONE = new Subscription(0, Set.of());

    /** Copies the set. */
    public Subscription {
        topics = Set.copyOf(topics);
    }
}
