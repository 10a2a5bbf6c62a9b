package io.kmirror.internal.stream;

import io.kmirror.GapPolicy;
import io.kmirror.Partitioning;
import io.kmirror.MirrorListener;
import io.kmirror.internal.HealthBoard;
import io.kmirror.internal.MirrorCounters;
import io.kmirror.internal.control.FlowControl;
import io.kmirror.internal.produce.DestinationRoutes;
import io.kmirror.internal.topics.SubscriptionHolder;
import java.util.function.BooleanSupplier;

/**
 * What a mirror's streams share: the topics to subscribe to, the counters, the partitions' health, the
 * host's listener and flow control, and the gap policy.
 *
 * @param subscriptions  the source topics to mirror, as the topic sync publishes them
 * @param counters       the mirror's counters and sensors
 * @param health         the partitions' health
 * @param listener       the host's listener
 * @param commitUrgently true while someone waits for the mirror to catch up: commit at once
 * @param gapPolicy      what a gap in the source does
 * @param flow           the topics the host paused, and the throttle
 * @param routes         where each source topic's records go, and which destination partitions are writable yet
 * @param partitioning   how records are placed on the destination
 */
public record StreamShared(SubscriptionHolder subscriptions, MirrorCounters counters, HealthBoard health,
        MirrorListener listener, BooleanSupplier commitUrgently, GapPolicy gapPolicy, FlowControl flow,
        DestinationRoutes routes, Partitioning partitioning) {
}
