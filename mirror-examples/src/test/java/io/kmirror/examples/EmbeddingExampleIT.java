package io.kmirror.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.Mirror;
import io.kmirror.testkit.Destination;
import io.kmirror.testkit.TestKafkaCluster;
import io.kmirror.testkit.MirrorClusters;
import io.kmirror.testkit.Source;
import org.junit.jupiter.api.Test;

@MirrorClusters
class EmbeddingExampleIT {

    @Test
    void readmeExample_mirrorsOrdersTopics_butNotInternalOnes(@Source TestKafkaCluster source,
            @Destination TestKafkaCluster destination) throws Exception {
        source.createTopic("orders", 4);
        source.createTopic("orders-internal", 1);
        source.produceKeyed("orders", 1_000, 100, 1);
        source.produceKeyed("orders-internal", 10, 10, 2);

        try (Mirror mirror = EmbeddingExample.startOrdersMirror(source.bootstrapServers(), destination.bootstrapServers())) {
            assertThat(mirror.metrics().recordsMirrored()).isEqualTo(1_000);
        }
        assertThat(destination.readAll("orders")).hasSize(1_000);
        assertThat(destination.topics()).doesNotContain("orders-internal");
    }
}
