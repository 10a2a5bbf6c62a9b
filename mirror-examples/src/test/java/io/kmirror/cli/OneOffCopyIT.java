package io.kmirror.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.testkit.Destination;
import io.kmirror.testkit.MirrorClusters;
import io.kmirror.testkit.Source;
import io.kmirror.testkit.TestKafkaCluster;
import io.kmirror.testkit.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --stop-when-caught-up}: a one-off copy of what the source has, then exit 0 by itself; with a message handler too. */
@MirrorClusters
class OneOffCopyIT {

    private final TestKafkaCluster source;
    private final TestKafkaCluster destination;

    OneOffCopyIT(@Source TestKafkaCluster source, @Destination TestKafkaCluster destination) {
        this.source = source;
        this.destination = destination;
    }

    @Test
    void stopWhenCaughtUp_copiesAPreloadedTopic_andExits0ByItself(@TempDir Path dir) throws Exception {
        String topic = Topics.unique("migration");
        String group = Topics.unique("group");
        source.createTopic(topic, 4);
        source.produceKeyed(topic, 20_000, 500, 5);
        writeFiles(dir);

        try (KmirrorJar kmirror = KmirrorJar.start(dir, "--consumer.config", "consumer.properties",
                "--producer.config", "producer.properties", "--whitelist", topic, "--group", group,
                "--num.streams", "2", "--stop-when-caught-up")) {
            int exit = kmirror.awaitExit(KmirrorJar.WAIT, () -> "--- group " + group + " ---\ncommitted "
                    + source.committedOffsets(group) + "\nends      " + source.endOffsets(topic) + "\n");
            assertThat(exit).as("exit code; output:%n%s", kmirror.output()).isZero();
            assertThat(kmirror.stdout()).contains("runs until           caught up with the source's end offsets at start",
                    "Caught up: every partition is mirrored up to the end it had at start.", "20,000 records mirrored");
        }

        assertThat(Records.byPartition(destination.readAll(topic))).isEqualTo(Records.byPartition(source.readAll(topic)));
        assertThat(source.committedOffsets(group)).isEqualTo(source.endOffsets(topic));
    }

    @Test
    void logLevelInfo_logsThroughTheDefaultBackend_andALog4j2FileOfTheUsersOwn_throughLog4j2(@TempDir Path dir) throws Exception {
        String topic = Topics.unique("logged");
        source.createTopic(topic, 1);
        source.produceKeyed(topic, 100, 10, 1);
        writeFiles(dir);
        String[] args = {"--consumer.config", "consumer.properties", "--producer.config", "producer.properties", "--whitelist",
            topic, "--stop-when-caught-up", "--log-level", "INFO"};

        try (KmirrorJar kmirror = KmirrorJar.start(dir, args)) {
            assertThat(kmirror.awaitExit(KmirrorJar.WAIT)).as("exit code; output:%n%s", kmirror.output()).isZero();
            assertThat(kmirror.stderr()).as("slf4j-simple's lines, at the level asked for")
                    .containsPattern("(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO Lifecycle - Mirror kmirror: CREATED -> STARTING$")
                    .doesNotContain("SLF4J");
        }
        Path log4j2 = dir.resolve("my-log4j2.xml");
        Files.writeString(log4j2, """
                <Configuration status="WARN" shutdownHook="disable">
                  <Appenders><Console name="err" target="SYSTEM_ERR"><PatternLayout pattern="MINE %level %c{1} %msg%n"/></Console></Appenders>
                  <Loggers><Root level="WARN"><AppenderRef ref="err"/></Root></Loggers>
                </Configuration>
                """);
        try (KmirrorJar kmirror = KmirrorJar.start(KmirrorJar.jar(), List.of("-Dlog4j2.configurationFile=" + log4j2), dir, args)) {
            assertThat(kmirror.awaitExit(KmirrorJar.WAIT)).as("exit code; output:%n%s", kmirror.output()).isZero();
            assertThat(kmirror.stderr()).as("the user's log4j2 pattern").contains("MINE INFO Lifecycle Mirror kmirror: CREATED -> STARTING");
        }
        assertThat(destination.readAll(topic)).hasSize(100);
    }

    @Test
    void messageHandler_dropEmptyValues_dropsEmptyRecords_keepsTheRestInOrder(@TempDir Path dir) throws Exception {
        String topic = Topics.unique("handled");
        source.createTopic(topic, 1);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (String value : new String[] {"a", "", "b", null, "", "c"}) {
            records.add(new ProducerRecord<>(topic, "key".getBytes(UTF_8), value == null ? null : value.getBytes(UTF_8)));
        }
        source.produce(topic, records);
        writeFiles(dir);

        try (KmirrorJar kmirror = KmirrorJar.start(dir, "--consumer.config", "consumer.properties",
                "--producer.config", "producer.properties", "--whitelist", topic, "--group", Topics.unique("group"),
                "--message.handler", "io.kmirror.examples.DropEmptyValues", "--stop-when-caught-up")) {
            assertThat(kmirror.awaitExit(KmirrorJar.WAIT)).as("exit code; output:%n%s", kmirror.output()).isZero();
            assertThat(kmirror.stdout()).contains("message handler      io.kmirror.examples.DropEmptyValues",
                    "4 records mirrored", "2 dropped by the message handler");
        }

        assertThat(destination.readAll(topic)).extracting(r -> r.value() == null ? null : new String(r.value(), UTF_8))
                .as("empty values dropped; the tombstone kept").containsExactly("a", "b", null, "c");
    }

    private void writeFiles(Path dir) throws IOException {
        Files.writeString(dir.resolve("consumer.properties"), "bootstrap.servers=" + source.bootstrapServers() + "\n");
        Files.writeString(dir.resolve("producer.properties"), "bootstrap.servers=" + destination.bootstrapServers() + "\n");
    }
}
