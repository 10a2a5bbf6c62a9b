package io.kmirror.it;

import static io.kmirror.it.MirrorTesting.WAIT;
import static io.kmirror.it.MirrorTesting.await;
import static io.kmirror.testkit.MirrorAssertions.assertThat;

import io.kmirror.testkit.Destination;
import io.kmirror.testkit.MirrorClusters;
import io.kmirror.testkit.Source;
import io.kmirror.testkit.TestKafkaCluster;
import io.kmirror.testkit.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A mirror process killed with SIGKILL mid-stream and restarted loses nothing. */
@MirrorClusters
class SigkillRecoveryIT {

    @Test
    void killedMidStream_thenRestarted_losesNothing(@Source TestKafkaCluster source,
            @Destination TestKafkaCluster destination, @TempDir Path logs) throws Exception {
        String topic = Topics.unique("testtopic");
        String group = Topics.unique("mirrorgroup");
        int records = 60_000;
        source.createTopic(topic, 8);
        String[] args = {source.bootstrapServers(), destination.bootstrapServers(), topic, group};
        Path firstLog = logs.resolve("first.log");
        Path secondLog = logs.resolve("second.log");

        Process first = MirrorProcess.start(firstLog, args);
        try {
            await("first mirror RUNNING", () -> log(firstLog).contains("RUNNING"));
            source.produceKeyed(topic, records, 5_000, 11);
            // cheap (end offsets, no read), so that the kill comes while the mirror is still copying
            await("some records on the destination", () -> destinationCount(destination, topic) > 0);
        } finally {
            MirrorProcess.kill(first);
        }
        long atKill = destinationCount(destination, topic);

        Process second = MirrorProcess.start(secondLog, args);
        try {
            assertThat(destination).topic(topic).eventually(WAIT)
                    .as(() -> "after the restart; log of the second mirror process:\n" + log(secondLog))
                    .containsAllRecordsOf(source.topic(topic));
        } finally {
            MirrorProcess.kill(second);
        }
        assertThat(log(secondLog)).doesNotContain("FAILED");

        long duplicates = destination.readAll(topic).size() - (long) records;
        System.out.printf("SIGKILL recovery: %d of %d records on the destination at the kill, %d duplicates after restart%n",
                atKill, records, duplicates);
    }

    private static long destinationCount(TestKafkaCluster destination, String topic) {
        if (!destination.topics().contains(topic)) {
            return 0;
        }
        return destination.endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
    }

    private static String log(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
