package io.kmirror.it;

import static io.kmirror.it.MirrorTesting.assertCaughtUp;
import static io.kmirror.it.MirrorTesting.awaitRunning;
import static io.kmirror.it.MirrorTesting.byPartition;
import static io.kmirror.it.MirrorTesting.mirror;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.Mirror;
import io.kmirror.TopicFilter;
import io.kmirror.testkit.Destination;
import io.kmirror.testkit.MirrorClusters;
import io.kmirror.testkit.Source;
import io.kmirror.testkit.TestKafkaCluster;
import io.kmirror.testkit.Topics;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The consumer group protocol of KIP-848 ({@code group.protocol=consumer} in the source configuration, Kafka
 * 4.0+ brokers): no initial rebalance delay, the broker assigns. The streams' consumers are then kafka-clients'
 * other implementation; the mirror must behave as with the classic protocol.
 */
@MirrorClusters
class GroupProtocolIT {

    private final TestKafkaCluster source;
    private final TestKafkaCluster destination;

    GroupProtocolIT(@Source TestKafkaCluster source, @Destination TestKafkaCluster destination) {
        this.source = source;
        this.destination = destination;
    }

    @Test
    void consumerGroupProtocol_twoMirrorsShareTheGroup_everyRecordArrivesInOrder_andAStopResumesWhereItCommitted() throws Exception {
        String topic = Topics.unique("kip848");
        String group = Topics.unique("group");
        source.createTopic(topic, 8);
        source.produceKeyed(topic, 4_000, 100, 1);
        Map<String, Object> config = new HashMap<>(source.clientConfig());
        config.put("group.protocol", "consumer");

        try (Mirror first = mirror(source, destination, TopicFilter.include(topic), group).source(config).streams(2).build()) {
            first.start();
            awaitRunning(first);
            assertCaughtUp(first);
            try (Mirror second = mirror(source, destination, TopicFilter.include(topic), group).source(config).build()) {
                second.start(); // the group's partitions move between the two while records flow
                source.produceKeyed(topic, 4_000, 100, 2);
                awaitRunning(second);
                source.produceKeyed(topic, 4_000, 100, 3);
                assertCaughtUp(first);
                assertCaughtUp(second);
            }
            assertCaughtUp(first);
        }
        // a partition that moves is committed before it is released: nothing is copied twice
        assertThat(byPartition(destination.readAll(topic))).as("every source record once, per partition in source order")
                .isEqualTo(byPartition(source.readAll(topic)));

        source.produceKeyed(topic, 1_000, 100, 4);
        try (Mirror again = mirror(source, destination, TopicFilter.include(topic), group).source(config).build()) {
            again.start();
            assertCaughtUp(again);
            assertThat(again.metrics().recordsMirrored()).as("after a clean stop only the new records").isEqualTo(1_000);
        }
        assertThat(byPartition(destination.readAll(topic))).isEqualTo(byPartition(source.readAll(topic)));
    }
}
