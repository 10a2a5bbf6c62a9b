package io.kmirror.internal.filter;

/** Topics that are never mirrored, whatever the user's filter says. */
public final class InternalTopics {

    /** Kafka-internal topics and kmirror's own topics all start with this. */
    public static final String INTERNAL_PREFIX = "__";

    private InternalTopics() {
    }

    /** Whether {@code topic} is Kafka's or kmirror's own and must never be mirrored. */
    public static boolean isInternal(String topic) {
        return topic.startsWith(INTERNAL_PREFIX);
    }
}
