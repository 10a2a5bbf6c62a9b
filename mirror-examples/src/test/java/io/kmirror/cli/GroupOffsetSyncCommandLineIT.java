package io.kmirror.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.testkit.Destination;
import io.kmirror.testkit.MirrorClusters;
import io.kmirror.testkit.Source;
import io.kmirror.testkit.TestKafkaCluster;
import io.kmirror.testkit.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runbook's hands-free way: {@code kmirror.jar --sync-group-offsets REGEX} keeps a stopped application group's
 * offsets on the destination at its translated positions, and {@code offsets} then shows it there with nothing to
 * apply. The destination's topic held records of its own, so the translated positions are not the source's.
 */
@MirrorClusters
class GroupOffsetSyncCommandLineIT {

    @Test
    void syncGroupOffsets_commitsTheGroupsTranslatedPositionsOnTheDestination_andOffsetsShowsNothingToMove(
            @Source TestKafkaCluster source, @Destination TestKafkaCluster destination, @TempDir Path dir) throws Exception {
        String topic = Topics.unique("orders");
        String group = Topics.unique("orders-app");
        String mirrorGroup = Topics.unique("mirrorgroup");
        source.createTopic(topic, 2);
        destination.createTopic(topic, 2);
        destination.produceKeyed(topic, 30, 10, 4);
        Map<TopicPartition, Long> own = destination.endOffsets(topic);
        source.produceKeyed(topic, 200, 20, 5);
        Map<TopicPartition, Long> ends = source.endOffsets(topic);
        Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
        Map<TopicPartition, Long> expected = new HashMap<>();
        ends.forEach((tp, end) -> {
            positions.put(tp, new OffsetAndMetadata(end / 2));
            expected.put(tp, own.get(tp) + end / 2);
        });
        // the group's consumers have read about half and stopped
        source.admin().alterConsumerGroupOffsets(group, positions).all().get();
        Files.writeString(dir.resolve("consumer.properties"),
                "bootstrap.servers=" + source.bootstrapServers() + "\ngroup.id=" + mirrorGroup + "\n");
        Files.writeString(dir.resolve("producer.properties"), "bootstrap.servers=" + destination.bootstrapServers() + "\n");

        try (KmirrorJar kmirror = KmirrorJar.start(dir, "--consumer.config", "consumer.properties", "--producer.config",
                "producer.properties", "--whitelist", topic, "--sync-group-offsets", "orders-app-.*")) {
            kmirror.awaitStdout("Running: ");
            assertThat(kmirror.stdout()).contains("group offsets        translated to the destination every second for groups"
                    + " matching --sync-group-offsets orders-app-.*");
            KmirrorJar.await("the group's translated positions committed on the destination " + expected,
                    () -> expected.equals(destination.committedOffsets(group)));

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = KmirrorMain.run(new String[] {"offsets", "--consumer.config", dir.resolve("consumer.properties").toString(),
                "--producer.config", dir.resolve("producer.properties").toString(), "--group", group, "--apply"},
                    new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8));
            assertThat(code).as("offsets --apply; stderr:%n%s", err.toString(UTF_8)).isZero();
            for (TopicPartition tp : expected.keySet()) {
                assertThat(out.toString(UTF_8)).as("%s: committed on the destination = the translated position", tp)
                        .containsPattern("(?m)^" + topic + "-" + tp.partition() + " +" + positions.get(tp).offset() + " +" + topic
                                + "-" + tp.partition() + " +" + expected.get(tp) + " +[0-9]+ +" + expected.get(tp) + "$");
            }
            assertThat(out.toString(UTF_8)).contains("Nothing to move: group " + group);

            kmirror.process().destroy();
            assertThat(kmirror.awaitExit(Duration.ofSeconds(45))).as("exit code; output:%n%s", kmirror.output()).isZero();
        }
    }
}
