package io.kmirror.internal.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.MirrorBuilder;
import org.junit.jupiter.api.Test;

class TopicConfigSyncTest {

    private final TopicConfigSync sync = new TopicConfigSync(null, null, MirrorBuilder.DEFAULT_EXCLUDED_CONFIGS, null, null);

    @Test
    void localConfigs_areExcludedByDefault_includingPrefixPatterns() {
        assertThat(sync.isExcluded("min.insync.replicas")).isTrue();
        assertThat(sync.isExcluded("unclean.leader.election.enable")).isTrue();
        assertThat(sync.isExcluded("leader.replication.throttled.replicas")).isTrue();
        assertThat(sync.isExcluded("message.timestamp.type")).isTrue();
        assertThat(sync.isExcluded("message.timestamp.after.max.ms")).isTrue();
    }

    @Test
    void dataShapingConfigs_areSynced() {
        assertThat(sync.isExcluded("cleanup.policy")).isFalse();
        assertThat(sync.isExcluded("retention.ms")).isFalse();
        assertThat(sync.isExcluded("max.message.bytes")).isFalse();
        assertThat(sync.isExcluded("compression.type")).isFalse();
        assertThat(sync.isExcluded("message.downconversion.enable")).isFalse();
    }
}
