package io.kmirror.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.MirrorState;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class MirrorEventLogTest {

    @Test
    void keepsTheLatestEvents_inOrder_andCountsTheDropped() {
        MirrorEventLog log = new MirrorEventLog(3);

        log.onStateChange(MirrorState.CREATED, MirrorState.STARTING);
        log.onPartitionsAssigned(List.of(new TopicPartition("orders", 1), new TopicPartition("orders", 0)));
        log.onDestinationTopicCreated("eu.orders", 1);
        log.onPartitionsRevoked(List.of());

        assertThat(log.descriptions()).containsExactly("assigned orders-0, orders-1",
                "created destination topic eu.orders with 1 partition", "revoked no partitions");
        assertThat(log.dropped()).isEqualTo(1);
        assertThat(log.format()).startsWith("recent mirror events, oldest first (1 older ones dropped):\n  +")
                .contains(" [" + Thread.currentThread().getName() + "] assigned orders-0, orders-1");
        assertThat(new MirrorEventLog().format()).isEqualTo("no mirror events");
    }
}
