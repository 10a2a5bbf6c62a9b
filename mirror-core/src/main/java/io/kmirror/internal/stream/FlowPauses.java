package io.kmirror.internal.stream;

import io.kmirror.internal.HealthBoard;
import io.kmirror.internal.control.FlowControl;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Applies the host's flow control to one stream's consumer before each poll: the partitions of paused
 * topics, and every partition while the throttle's budget is used up, are paused; nothing is fetched
 * from them, and heartbeats and commits go on. A partition its delivery holds paused (being opened,
 * rewound or retried) is left to the delivery when flow control releases it. Used from the stream's thread.
 */
final class FlowPauses {

    private final FlowControl flow;
    private final HealthBoard health;
    private final Set<TopicPartition> paused = new HashSet<>();
    private long appliedVersion = -1;
    private boolean throttled;
    private boolean assignmentChanged = true;

    FlowPauses(FlowControl flow, HealthBoard health) {
        this.flow = flow;
        this.health = health;
    }

    /** The stream's partitions changed: flow control is applied again to what it owns now. */
    void assignmentChanged() {
        assignmentChanged = true;
    }

    /**
     * The stream was given {@code partitions} (called in the rebalance callback, after the delivery opened
     * them): those flow control holds are paused before the poll in progress fetches from them.
     */
    void assigned(Consumer<byte[], byte[]> consumer, Collection<TopicPartition> partitions) {
        assignmentChanged = true;
        Set<String> pausedTopics = flow.pausedTopics();
        boolean throttledNow = flow.throttle().exhausted();
        List<TopicPartition> held = partitions.stream()
                .filter(tp -> throttledNow || pausedTopics.contains(tp.topic())).toList();
        consumer.pause(held);
        paused.addAll(held);
    }

    /**
     * Pauses and resumes partitions as flow control says, leaving paused those {@code heldByDelivery};
     * returns true when the host's paused topics changed (the stream then commits at once).
     */
    boolean apply(Consumer<byte[], byte[]> consumer, Predicate<TopicPartition> heldByDelivery) {
        boolean nowThrottled = flow.throttle().exhausted();
        long version = flow.version();
        boolean hostChange = version != appliedVersion;
        if (hostChange || nowThrottled != throttled || assignmentChanged) {
            Set<TopicPartition> owned = consumer.assignment();
            Set<String> pausedTopics = flow.pausedTopics();
            Set<TopicPartition> target = new HashSet<>();
            for (TopicPartition tp : owned) {
                if (nowThrottled || pausedTopics.contains(tp.topic())) {
                    target.add(tp);
                }
            }
            List<TopicPartition> released = paused.stream()
                    .filter(tp -> !target.contains(tp) && owned.contains(tp) && !heldByDelivery.test(tp)).toList();
            consumer.resume(released);
            for (TopicPartition tp : owned) {
                if (pausedTopics.contains(tp.topic())) {
                    health.paused(tp, new PausedByHostException(tp.topic()));
                }
            }
            health.clear(released, PausedByHostException.class);
            paused.clear();
            paused.addAll(target);
            appliedVersion = version;
            throttled = nowThrottled;
            assignmentChanged = false;
        }
        if (!paused.isEmpty()) {
            consumer.pause(paused); // again: a delivery that opened or retried a partition resumed it
        }
        return hostChange;
    }
}
