package io.kmirror.internal.topics;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;

/**
 * The source topics the streams subscribe to; a new version whenever the set changes.
 *
 * @param version  increases with every change
 * @param topics   the source topics, each with a writable destination topic
 * @param topicIds the source topics' ids as last seen; a changed id means the topic was recreated and the
 *                 mirror goes on from its beginning (GapPolicy.RECORD_AND_CONTINUE)
 */
public record Subscription(long version, Set<String> topics, Map<String, Uuid> topicIds) {
    /** Before the first topic scan. */
    public static final Subscription NONE = new Subscription(0, Set.of(), Map.of());

    /** Copies the collections. */
    public Subscription {
        topics = Set.copyOf(topics);
        topicIds = Map.copyOf(topicIds);
    }

    /** A subscription without topic ids. */
    public Subscription(long version, Set<String> topics) {
        this(version, topics, Map.of());
    }
}
