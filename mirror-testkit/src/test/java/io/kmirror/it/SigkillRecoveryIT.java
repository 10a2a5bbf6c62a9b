package io.kmirror.it;

import static io.kmirror.it.MirrorTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.testkit.Destination;
import io.kmirror.testkit.EmbeddedKafkaCluster;
import io.kmirror.testkit.KafkaClustersExtension;
import io.kmirror.testkit.Source;
import io.kmirror.testkit.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A mirror process killed with SIGKILL mid-stream and restarted loses nothing. */
@ExtendWith(KafkaClustersExtension.class)
class SigkillRecoveryIT {

    @Test
    void killedMidStream_thenRestarted_losesNothing(@Source EmbeddedKafkaCluster source,
            @Destination EmbeddedKafkaCluster destination, @TempDir Path logs) throws Exception {
        String topic = Topics.unique("testtopic");
        String group = Topics.unique("mirrorgroup");
        int records = 60_000;
        source.createTopic(topic, 8);
        String[] args = {source.bootstrapServers(), destination.bootstrapServers(), topic, group};

        Process first = MirrorProcess.start(logs.resolve("first.log"), args);
        try {
            await("first mirror RUNNING", () -> log(logs.resolve("first.log")).contains("RUNNING"));
            source.produceKeyed(topic, records, 5_000, 11);
            await("some records on the destination", () -> destinationCount(destination, topic) > 0);
        } finally {
            MirrorProcess.kill(first);
        }
        long atKill = destinationCount(destination, topic);

        Process second = MirrorProcess.start(logs.resolve("second.log"), args);
        try {
            await("every source record on the destination", () -> {
                assertThat(log(logs.resolve("second.log"))).doesNotContain("FAILED");
                return MirrorTesting.seqCounts(destination.readAll(topic)).size() == records;
            });
        } finally {
            MirrorProcess.kill(second);
        }

        Map<String, Integer> counts = MirrorTesting.seqCounts(destination.readAll(topic));
        TreeSet<Integer> missing = new TreeSet<>();
        for (int seq = 0; seq < records; seq++) {
            if (!counts.containsKey(Integer.toString(seq))) {
                missing.add(seq);
            }
        }
        long duplicates = counts.values().stream().mapToInt(c -> c - 1).sum();
        System.out.printf("SIGKILL recovery: %d of %d records on the destination at the kill, %d duplicates after restart%n",
                atKill, records, duplicates);
        assertThat(missing).as("records lost").isEmpty();
    }

    private static long destinationCount(EmbeddedKafkaCluster destination, String topic) {
        if (!destination.topics().contains(topic)) {
            return 0;
        }
        return destination.endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
    }

    private static String log(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
