package io.kmirror.internal.stream;

import io.kmirror.SendFailurePolicy;
import io.kmirror.internal.ClusterAccess;
import io.kmirror.internal.HealthBoard;
import io.kmirror.internal.MirrorCounters;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.annotation.Nullable;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Uuid;

/**
 * What a stream's delivery works with: the stream's consumer and outbound path, and what the mirror's
 * streams share.
 *
 * @param stream            the stream's number
 * @param consumer          the stream's source consumer
 * @param outbound          transforms and routes its records
 * @param counters          the mirror's counters
 * @param health            the mirror's partition health
 * @param sendFailurePolicy what a refused record does
 * @param startPosition     where partitions without a committed offset start
 * @param topicIds          the current id of a source topic, null when unknown
 * @param destination       names the destination's refusals (failed authentication, missing ACLs)
 * @param pausedTopics      whether the host paused a source topic ({@code Mirror.pause})
 */
public record StreamContext(int stream, Consumer<byte[], byte[]> consumer, Outbound outbound, MirrorCounters counters,
        HealthBoard health, SendFailurePolicy sendFailurePolicy, InitialPosition startPosition,
        Function<String, Uuid> topicIds, ClusterAccess destination, Predicate<String> pausedTopics) {

    /** The current id of {@code topic}, or null. */
    @Nullable
    Uuid topicId(String topic) {
        return topicIds.apply(topic);
    }

    /** Whether the host paused {@code topic}: its records wait, however many, until it resumes it. */
    boolean pausedByHost(String topic) {
        return pausedTopics.test(topic);
    }
}
