package io.kmirror.examples;

import io.kmirror.GapPolicy;
import io.kmirror.Mirror;
import io.kmirror.MirrorListener;
import io.kmirror.PartitionHealth;
import io.kmirror.SendFailurePolicy;
import io.kmirror.TopicFilter;
import java.util.Map;
import java.util.function.Consumer;

/**
 * README's "When something breaks" example: a mirror on which one refused record pauses only its partition,
 * records lost at the source stop it, and every change of a partition's health reaches the host's alerts.
 */
public final class HealthAlertsExample {

    private HealthAlertsExample() {
    }

    /** A mirror of {@code orders.*} that sends every health change to {@code alerts}. */
    public static Mirror build(Map<String, Object> sourceConfig, Map<String, Object> destinationConfig, Consumer<String> alerts) {
        // snippet:start health
        Mirror mirror = Mirror.builder()
                .source(sourceConfig).destination(destinationConfig)
                .topics(TopicFilter.include("orders.*"))
                .onSendFailure(SendFailurePolicy.PAUSE_PARTITION)   // one bad record does not stop the others
                .onGap(GapPolicy.FAIL)                              // the default: never skip lost records
                .listener(new MirrorListener() {
                    @Override
                    public void onHealthChange(PartitionHealth previous, PartitionHealth current) {
                        alerts.accept(current.toString());          // e.g. "orders-3 PAUSED (...) since 2026-12-02T10:15:00Z"
                    }
                })
                .build();
        // snippet:end health
        return mirror;
    }
}
