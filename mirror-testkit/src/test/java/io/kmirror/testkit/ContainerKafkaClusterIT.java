package io.kmirror.testkit;

import static io.kmirror.testkit.MirrorAssertions.assertThat;

import io.kmirror.Mirror;
import io.kmirror.TopicFilter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Two {@link ContainerKafkaCluster}s and a mirror between them. Runs only where Testcontainers finds a
 * Docker engine (then it pulls the default image if Docker does not have it); skipped elsewhere, as on
 * the build machine, which has none.
 */
@EnabledIf("dockerAvailable")
class ContainerKafkaClusterIT {

    static boolean dockerAvailable() {
        return ContainerKafkaCluster.isDockerAvailable();
    }

    @Test
    void twoContainers_areTwoClusters_andAMirrorCopiesBetweenThem() throws Exception {
        try (ContainerKafkaCluster source = ContainerKafkaCluster.builder().name("source").start();
             ContainerKafkaCluster destination = ContainerKafkaCluster.builder().name("destination")
                     .brokerConfig("auto.create.topics.enable", false).start()) {
            assertThat(source.clusterId()).isNotEqualTo(destination.clusterId());
            assertThat(source.admin().describeCluster().clusterId().get()).isEqualTo(source.clusterId());
            String topic = Topics.unique("orders");
            source.createTopic(topic, 4);
            source.produceKeyed(topic, 1_000, 50, 1);
            source.produceAbortedTransaction(topic, TestRecords.keyed(topic, 10, 5, 2));

            try (Mirror mirror = Mirror.builder().source(source.clientConfig()).destination(destination.clientConfig())
                    .topics(TopicFilter.include(topic)).groupId(Topics.unique("group")).build()) {
                mirror.start();
                assertThat(mirror).hasCaughtUp(Duration.ofSeconds(60)).hasMirrored(1_000);
            }
            assertThat(destination).topic(topic).hasPartitionCount(4).containsExactlyRecordsOf(source.topic(topic));
            assertThat(destination).topic(topic).hasConfig("cleanup.policy", "delete");
        }
    }
}
