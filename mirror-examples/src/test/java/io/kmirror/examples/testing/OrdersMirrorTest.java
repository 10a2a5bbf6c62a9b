package io.kmirror.examples.testing;

import static io.kmirror.testkit.MirrorAssertions.assertThat;

import io.kmirror.Mirror;
import io.kmirror.TopicFilter;
import io.kmirror.testkit.Destination;
import io.kmirror.testkit.MirrorClusters;
import io.kmirror.testkit.MirrorEventLog;
import io.kmirror.testkit.Source;
import io.kmirror.testkit.TestKafkaCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Testing your mirror setup: what a host application's test of its mirror looks like. Two clusters
 * (in this JVM, no Docker) come from {@code @MirrorClusters}; the mirror is the one your application
 * builds; the assertions wait for the copy and compare every record. If it fails, the message names
 * the missing or differing offsets, and the mirror's recent events are printed with it.
 */
@MirrorClusters
class OrdersMirrorTest {

    @Test
    void mirrorsEveryOrder(@Source TestKafkaCluster source, @Destination TestKafkaCluster destination, MirrorEventLog events) {
        source.createTopic("orders", 4);
        source.produceKeyed("orders", 1_000, 50, 42); // 1000 records, 50 keys, the same every run

        try (Mirror mirror = Mirror.builder() // your application's mirror setup goes here
                .source(source.clientConfig()).destination(destination.clientConfig())
                .topics(TopicFilter.include("orders")).listener(events).build()) {
            mirror.start();
            assertThat(destination).topic("orders").eventually(Duration.ofSeconds(30)).watching(mirror)
                    .containsExactlyRecordsOf(source.topic("orders"));
        }
    }
}
