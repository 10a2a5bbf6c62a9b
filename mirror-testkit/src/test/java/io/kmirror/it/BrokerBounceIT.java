package io.kmirror.it;

import static io.kmirror.it.MirrorTesting.await;
import static io.kmirror.it.MirrorTesting.mirror;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.DeliveryGuarantee;
import io.kmirror.Mirror;
import io.kmirror.MirrorState;
import io.kmirror.TopicFilter;
import io.kmirror.testkit.Destination;
import io.kmirror.testkit.EmbeddedKafkaCluster;
import io.kmirror.testkit.MirrorAssertions;
import io.kmirror.testkit.MirrorClusters;
import io.kmirror.testkit.Source;
import io.kmirror.testkit.Topics;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Brokers stopped and restarted one after the other, twice round, while records flow: the destination
 * holds every source record (once each under exactly-once, read_committed), and the mirror is RUNNING and
 * caught up afterwards without help.
 */
@MirrorClusters(brokers = 3, brokerConfig = {"broker.session.timeout.ms=3000", "broker.heartbeat.interval.ms=500"})
class BrokerBounceIT {

    private static final int RECORDS = 30_000;

    private final EmbeddedKafkaCluster source;
    private final EmbeddedKafkaCluster destination;

    BrokerBounceIT(@Source EmbeddedKafkaCluster source, @Destination EmbeddedKafkaCluster destination) {
        this.source = source;
        this.destination = destination;
    }

    @Test
    void destinationBrokersRestartedInTurn_exactlyOnce_everyRecordOnce() throws Exception {
        String topic = Topics.unique("destbounce");
        source.createTopic(topic, 8);
        try (Mirror mirror = mirror(source, destination, TopicFilter.include(topic), Topics.unique("group"))
                .guarantee(DeliveryGuarantee.EXACTLY_ONCE).streams(2).build()) {
            mirror.start();
            bounceWhileTrafficFlows(destination, mirror, topic);
        }
        MirrorAssertions.assertThat(destination.topic(topic)).containsExactlyRecordsOf(source.topic(topic));
    }

    @Test
    void sourceBrokersRestartedInTurn_atLeastOnce_nothingLost() throws Exception {
        String topic = Topics.unique("sourcebounce");
        source.createTopic(topic, 8);
        try (Mirror mirror = mirror(source, destination, TopicFilter.include(topic), Topics.unique("group")).streams(2).build()) {
            mirror.start();
            bounceWhileTrafficFlows(source, mirror, topic);
        }
        MirrorAssertions.assertThat(destination.topic(topic)).containsAllRecordsOf(source.topic(topic));
    }

    /** Restarts each broker of {@code cluster} in turn, twice round, each time once records flowed while it was down. */
    private void bounceWhileTrafficFlows(EmbeddedKafkaCluster cluster, Mirror mirror, String topic) throws Exception {
        Traffic traffic = new Traffic(source, topic, RECORDS, 250, 1_000);
        MirrorAssertions.assertThat(mirror).eventually(MirrorTesting.WAIT).isRunning();
        traffic.start();
        for (int round = 0; round < 2; round++) {
            for (int broker : cluster.brokerIds()) {
                long before = mirror.metrics().recordsMirrored();
                cluster.stopBroker(broker);
                await("records mirrored while broker " + broker + " of the " + cluster.name() + " is down",
                        () -> mirror.metrics().recordsMirrored() >= before + 500 || !traffic.isAlive());
                cluster.restartBroker(broker);
            }
        }
        traffic.finish();
        MirrorAssertions.assertThat(mirror).hasCaughtUp(Duration.ofSeconds(90));
        assertThat(mirror.state()).isEqualTo(MirrorState.RUNNING);
    }
}
