package io.kmirror.internal;

import io.kmirror.ClientFactories.AdminFactory;
import io.kmirror.ClientFactories.ConsumerFactory;
import io.kmirror.ClientFactories.ProducerFactory;
import io.kmirror.DeliveryGuarantee;
import io.kmirror.GapPolicy;
import io.kmirror.GroupFilter;
import io.kmirror.MirrorListener;
import io.kmirror.Partitioning;
import io.kmirror.RecordTransformer;
import io.kmirror.SendFailurePolicy;
import io.kmirror.StartPosition;
import io.kmirror.TopicErrorPolicy;
import io.kmirror.TopicFilter;
import io.kmirror.TopicNaming;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import javax.annotation.Nullable;
import org.apache.kafka.common.metrics.Sensor.RecordingLevel;

/**
 * A mirror's settings, defaults applied. As the builder makes them, the required ones may be null and
 * {@code groupId} is null unless set; {@link SettingsValidator#validate} checks them and resolves the
 * group. {@code sourceConfig} and {@code destinationConfig} are the user's maps as given; the
 * effective client configurations are derived from them by {@code ClientConfigs}.
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
        Duration transactionCommitInterval,
        int maxTransactionRecords,
        int maxOpenTransactions,
        int transactionSlots,
        OptionalInt destinationReplicationFactor,
        RecordTransformer transformer,
        SendFailurePolicy sendFailurePolicy,
        GapPolicy gapPolicy,
        boolean syncTopicConfigs,
        boolean syncConfigsOfExistingTopics,
        boolean loopPrevention,
        @Nullable StartPosition startFrom,
        long maxBytesPerSecond,
        boolean syncAcls,
        @Nullable GroupFilter syncGroups,
        boolean offsetTranslation,
        Duration groupSyncInterval,
        Set<String> excludedConfigs,
        TopicErrorPolicy topicErrorPolicy,
        MirrorListener listener,
        ConsumerFactory consumerFactory,
        ProducerFactory producerFactory,
        AdminFactory adminFactory,
        RecordingLevel metricsRecordingLevel,
        String description) {

    /** Copies the maps. */
    public MirrorSettings {
        sourceConfig = copy(sourceConfig);
        destinationConfig = copy(destinationConfig);
        excludedConfigs = Set.copyOf(excludedConfigs);
    }

    /** These settings with {@code groupId}. */
    public MirrorSettings withGroupId(String groupId) {
        return new MirrorSettings(sourceConfig, destinationConfig, topics, groupId, streams, topicNaming, partitioning,
                guarantee, topicRefreshInterval, offsetCommitInterval, transactionCommitInterval, maxTransactionRecords, maxOpenTransactions,
                transactionSlots,
                destinationReplicationFactor, transformer,
                sendFailurePolicy, gapPolicy, syncTopicConfigs, syncConfigsOfExistingTopics, loopPrevention, startFrom,
                maxBytesPerSecond, syncAcls, syncGroups, offsetTranslation, groupSyncInterval, excludedConfigs, topicErrorPolicy, listener, consumerFactory,
                producerFactory, adminFactory, metricsRecordingLevel, description);
    }

    /** The builder's description: the settings given, secrets masked (the record's own form would show them). */
    @Override
    public String toString() {
        return description;
    }

    private static Map<String, Object> copy(Map<String, Object> config) {
        return config == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(config));
    }
}
