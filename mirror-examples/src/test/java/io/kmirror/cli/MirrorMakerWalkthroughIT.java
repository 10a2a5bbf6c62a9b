package io.kmirror.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.testkit.Destination;
import io.kmirror.testkit.MirrorClusters;
import io.kmirror.testkit.Source;
import io.kmirror.testkit.TestKafkaCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MirrorMaker 1's classic walkthrough with kmirror.jar in place of {@code kafka.tools.MirrorMaker}: the same
 * files, the same arguments, the stop with a signal.
 */
@MirrorClusters
class MirrorMakerWalkthroughIT {

    private static final String[] WALKTHROUGH = {"--consumer.config", "consumer.properties",
        "--producer.config", "producer.properties", "--whitelist", "testtopic", "--num.streams", "4"};

    @Test
    void walkthroughCommand_mirrorsTesttopic_andSigtermStopsIt_exit0_withEveryMirroredRecordCommitted(
            @Source TestKafkaCluster source, @Destination TestKafkaCluster destination, @TempDir Path dir)
            throws Exception {
        source.createTopic("testtopic", 8);
        Files.writeString(dir.resolve("consumer.properties"),
                "bootstrap.servers=" + source.bootstrapServers() + "\ngroup.id=mirrorgroup\n");
        Files.writeString(dir.resolve("producer.properties"),
                "bootstrap.servers=" + destination.bootstrapServers() + "\ncompression.type=none\n");

        try (KmirrorJar kmirror = KmirrorJar.start(dir, WALKTHROUGH)) {
            kmirror.awaitStdout("Running: 4 stream(s) joined group mirrorgroup; mirroring.");
            assertThat(kmirror.stdout()).contains("consumer group       mirrorgroup (group.id in consumer.properties)",
                    "compression.type=none\n", "streams              4 consumer threads");

            source.produceKeyed("testtopic", 5_000, 50, 11); // the walkthrough's console producer
            KmirrorJar.await("5,000 records on the destination", () -> endOffsetSum(destination) >= 5_000);
            List<ConsumerRecord<byte[], byte[]>> mirrored = destination.readAll("testtopic");
            assertThat(Records.byPartition(mirrored)).as("same bytes, same order in every partition")
                    .isEqualTo(Records.byPartition(source.readAll("testtopic")));

            kmirror.process().destroy(); // SIGTERM, as Ctrl-C or a service manager sends
            assertThat(kmirror.awaitExit(Duration.ofSeconds(30 + 15))).as("exit code; output:%n%s", kmirror.output()).isZero();
            assertThat(kmirror.stdout()).contains("Stopping: draining in-flight records and committing their offsets",
                    "5,000 records mirrored", "offsets committed to group mirrorgroup.");
            assertThat(kmirror.stderr()).isEmpty();
        }

        assertThat(source.committedOffsets("mirrorgroup")).as("the group's committed offsets cover every mirrored record")
                .isEqualTo(source.endOffsets("testtopic"));
    }

    @Test
    void walkthroughsOwnConsumerFile_withZookeeperOnly_exits2_namingTheFileAndTheLineToAdd(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("consumer.properties"), "zookeeper.connect=localhost:2181\ngroup.id=mirrorgroup\n");
        Files.writeString(dir.resolve("producer.properties"), "bootstrap.servers=localhost:9093\ncompression.type=none\n");

        try (KmirrorJar kmirror = KmirrorJar.start(dir, WALKTHROUGH)) {
            assertThat(kmirror.awaitExit(KmirrorJar.WAIT)).isEqualTo(2);
            assertThat(kmirror.stderr())
                    .startsWith("kmirror: --consumer.config consumer.properties: 'zookeeper.connect' is set but 'bootstrap.servers' is not")
                    .contains("add this line to consumer.properties:\n    bootstrap.servers=localhost:9092\n");
            assertThat(kmirror.stdout()).isEmpty();
        }
    }

    private static long endOffsetSum(TestKafkaCluster cluster) {
        if (!cluster.topics().contains("testtopic")) {
            return 0;
        }
        return cluster.endOffsets("testtopic").values().stream().mapToLong(Long::longValue).sum();
    }
}
