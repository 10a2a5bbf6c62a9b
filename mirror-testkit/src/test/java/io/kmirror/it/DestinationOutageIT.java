package io.kmirror.it;

import static io.kmirror.it.MirrorTesting.await;
import static io.kmirror.it.MirrorTesting.mirror;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.DeliveryGuarantee;
import io.kmirror.Mirror;
import io.kmirror.MirrorState;
import io.kmirror.PartitionHealth;
import io.kmirror.TopicFilter;
import io.kmirror.testkit.EmbeddedKafkaCluster;
import io.kmirror.testkit.MirrorAssertions;
import io.kmirror.testkit.MirrorClusters;
import io.kmirror.testkit.Source;
import io.kmirror.testkit.TestKafkaCluster;
import io.kmirror.testkit.Topics;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The destination entirely down for 60 s while records keep arriving at the source, with an at-least-once
 * and an exactly-once mirror running side by side: both resume by themselves once it is back, nothing is
 * lost, and exactly-once shows nothing twice.
 */
@MirrorClusters
class DestinationOutageIT {

    private static final Duration OUTAGE = Duration.ofSeconds(60);

    private final TestKafkaCluster source;

    DestinationOutageIT(@Source TestKafkaCluster source) {
        this.source = source;
    }

    @Test
    void destinationDownForAMinute_bothGuaranteesResumeByThemselves() throws Exception {
        String atLeastOnce = Topics.unique("outage-alo");
        String exactlyOnce = Topics.unique("outage-eos");
        source.createTopic(atLeastOnce, 4);
        source.createTopic(exactlyOnce, 4);
        try (EmbeddedKafkaCluster destination = EmbeddedKafkaCluster.builder().name("destination")
                .brokerConfig("broker.session.timeout.ms", 3000).brokerConfig("broker.heartbeat.interval.ms", 500).start();
             Mirror alo = mirror(source, destination, TopicFilter.include(atLeastOnce), Topics.unique("group")).build();
             Mirror eos = mirror(source, destination, TopicFilter.include(exactlyOnce), Topics.unique("group"))
                     .guarantee(DeliveryGuarantee.EXACTLY_ONCE).build()) {
            alo.start();
            eos.start();
            source.produceKeyed(atLeastOnce, 2_000, 100, 1);
            source.produceKeyed(exactlyOnce, 2_000, 100, 2);
            MirrorAssertions.assertThat(alo).hasCaughtUp(MirrorTesting.WAIT);
            MirrorAssertions.assertThat(eos).hasCaughtUp(MirrorTesting.WAIT);

            destination.stopBroker(0);
            long downUntil = System.nanoTime() + OUTAGE.toNanos();
            for (int second = 0; System.nanoTime() < downUntil; second++) { // records keep arriving during the outage
                source.produceKeyed(atLeastOnce, 50, 100, 100 + second);
                source.produceKeyed(exactlyOnce, 50, 100, 1_000 + second);
                TimeUnit.SECONDS.sleep(1);
            }
            assertThat(alo.state()).as("at-least-once during the outage").isEqualTo(MirrorState.RUNNING);
            assertThat(eos.state()).as("exactly-once during the outage").isEqualTo(MirrorState.RUNNING);
            assertThat(eos.health().values()).as("exactly-once shows the outage").extracting(PartitionHealth::state)
                    .contains(PartitionHealth.State.LAGGING);
            destination.restartBroker(0);

            source.produceKeyed(atLeastOnce, 1_000, 100, 3);
            source.produceKeyed(exactlyOnce, 1_000, 100, 4);
            MirrorAssertions.assertThat(alo).hasCaughtUp(Duration.ofSeconds(120));
            MirrorAssertions.assertThat(eos).hasCaughtUp(Duration.ofSeconds(120));
            await("every partition OK again", () -> eos.health().values().stream()
                    .allMatch(h -> h.state() == PartitionHealth.State.OK));
            MirrorAssertions.assertThat(destination.topic(atLeastOnce)).containsAllRecordsOf(source.topic(atLeastOnce));
            MirrorAssertions.assertThat(destination.topic(exactlyOnce)).containsExactlyRecordsOf(source.topic(exactlyOnce));
        }
    }
}
