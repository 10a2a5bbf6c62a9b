package io.kmirror.internal.topics;

import java.util.Map;

/**
 * What the destination should have for one source topic.
 *
 * @param source      the source topic
 * @param destination the destination topic's name
 * @param partitions  the source topic's partition count
 * @param configs     the topic configs to create it with (the source's synced overrides)
 */
public record TopicPlan(String source, String destination, int partitions, Map<String, String> configs) {
    /** Copies the configs. */
    public TopicPlan {
        configs = Map.copyOf(configs);
    }
}
