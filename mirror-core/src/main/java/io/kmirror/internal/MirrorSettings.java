package io.kmirror.internal;

import io.kmirror.ClientFactories.AdminFactory;
import io.kmirror.ClientFactories.ConsumerFactory;
import io.kmirror.ClientFactories.ProducerFactory;
import io.kmirror.DeliveryGuarantee;
import io.kmirror.MirrorListener;
import io.kmirror.Partitioning;
import io.kmirror.TopicFilter;
import io.kmirror.TopicNaming;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A mirror's validated settings. {@code sourceConfig} and {@code destinationConfig} are the user's
 * maps as given; the effective client configurations are derived from them by {@code ClientConfigs}.
 */
public record MirrorSettings(
        Map<String, Object> sourceConfig,
        Map<String, Object> destinationConfig,
        TopicFilter topics,
        String groupId,
        int streams,
        TopicNaming topicNaming,
        Partitioning partitioning,
        DeliveryGuarantee guarantee,
        Duration topicRefreshInterval,
        Duration offsetCommitInterval,
        OptionalInt destinationReplicationFactor,
        MirrorListener listener,
        ConsumerFactory consumerFactory,
        ProducerFactory producerFactory,
        AdminFactory adminFactory,
        String description) {

    /** Copies the maps. */
    public MirrorSettings {
        sourceConfig = Map.copyOf(sourceConfig);
        destinationConfig = Map.copyOf(destinationConfig);
    }
}
