package io.kmirror.examples;

import io.kmirror.Mirror;
import io.kmirror.StartPosition;
import io.kmirror.TopicFilter;
import java.time.Instant;
import java.util.Map;

/**
 * README's "Steering a running mirror" example: a new mirror that starts from a point in time under a
 * throttle, and the calls an application's admin endpoint or scheduler makes while it runs.
 */
public final class SteeringExample {

    private SteeringExample() {
    }

    /** A mirror of {@code orders.*} from {@code since} on, at most 20 MB/s. */
    public static Mirror build(Map<String, Object> sourceConfig, Map<String, Object> destinationConfig, Instant since) {
        // snippet:start start-from
        Mirror mirror = Mirror.builder()
                .source(sourceConfig).destination(destinationConfig)
                .topics(TopicFilter.include("orders.*"))
                .startFrom(StartPosition.timestamp(since))   // only for partitions the group has no offsets for
                .maxBytesPerSecond(20_000_000)               // 20 MB/s over the WAN link
                .build();
        // snippet:end start-from
        return mirror;
    }

    /** What an operator does to a running mirror, none of which restarts it or leaves the group. */
    public static void steer(Mirror mirror) {
        // snippet:start steering
        mirror.updateTopics(TopicFilter.include("orders.*|payments.*"));  // scanned at once, no restart
        mirror.pause("orders.audit");           // nothing fetched; offsets committed; PAUSED in health()
        mirror.maxBytesPerSecond(5_000_000);    // business hours: 5 MB/s
        mirror.maxBytesPerSecond(0);            // night: no limit
        mirror.resume("orders.audit");          // goes on where it paused, nothing lost
        // snippet:end steering
    }
}
