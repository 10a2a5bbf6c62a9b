package io.kmirror.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.Mirror;
import io.kmirror.TopicFilter;
import io.kmirror.testkit.Destination;
import io.kmirror.testkit.MirrorClusters;
import io.kmirror.testkit.Source;
import io.kmirror.testkit.TestKafkaCluster;
import io.kmirror.testkit.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failover runbook's command through real brokers: a running mirror keeps its offset map, an application's
 * group has read part of a topic on the source, and {@code kmirror.jar offsets} (in-process) prints where the group
 * continues on the destination, moves it there with {@code --apply}, and refuses to while it has a member there.
 * The destination's topic held records of its own before the mirror started, so its offsets are not the source's.
 */
@MirrorClusters
class OffsetsCommandIT {

    private static final int PARTITIONS = 4;
    private static final int RECORDS = 400;
    private static final int DESTINATIONS_OWN = 40;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TestKafkaCluster source;
    private final TestKafkaCluster destination;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final String topic = Topics.unique("orders");
    private final String mirrorGroup = Topics.unique("mirrorgroup");
    private final String group = Topics.unique("orders-app");
    private Map<TopicPartition, Long> own;
    private Mirror mirror;

    @TempDir
    Path dir;

    OffsetsCommandIT(@Source TestKafkaCluster source, @Destination TestKafkaCluster destination) {
        this.source = source;
        this.destination = destination;
    }

    @BeforeEach
    void mirrorRuns_andTheGroupHasReadPartOfTheTopicOnTheSource() throws Exception {
        source.createTopic(topic, PARTITIONS);
        destination.createTopic(topic, PARTITIONS);
        destination.produceKeyed(topic, DESTINATIONS_OWN, 10, 7);
        own = destination.endOffsets(topic);
        source.produceKeyed(topic, RECORDS, 50, 3);
        mirror = Mirror.builder().source(source.clientConfig()).destination(destination.clientConfig())
                .topics(TopicFilter.include(topic)).groupId(mirrorGroup).build();
        mirror.start();
        assertThat(mirror.awaitCaughtUp(WAIT)).as("mirror caught up").isTrue();
        Files.writeString(dir.resolve("consumer.properties"),
                "bootstrap.servers=" + source.bootstrapServers() + "\ngroup.id=" + mirrorGroup + "\n");
        Files.writeString(dir.resolve("producer.properties"), "bootstrap.servers=" + destination.bootstrapServers() + "\n");
    }

    @AfterEach
    void closeMirror() {
        if (mirror != null) {
            mirror.close();
        }
    }

    @Test
    void offsets_printsEachPartitionsTranslatedPosition_andApply_movesTheGroupToReadExactlyTheRestOnTheDestination()
            throws Exception {
        Map<TopicPartition, Long> read = readOnSource(RECORDS / 2 + 17);

        assertThat(offsets()).as("exit code; stderr:%n%s", stderr()).isZero();
        for (TopicPartition tp : read.keySet()) {
            long position = own.get(tp) + read.get(tp);
            long lag = source.endOffsets(topic).get(tp) - read.get(tp);
            assertThat(stdout()).as("the line of %s", tp).containsPattern("(?m)^" + topic + "-" + tp.partition() + " +"
                    + read.get(tp) + " +" + topic + "-" + tp.partition() + " +" + position + " +" + lag + " +-$");
        }
        assertThat(stdout()).contains(PARTITIONS + " partition(s): " + PARTITIONS + " translated, 0 not yet mirrored.\n"
                + "Nothing was changed; --apply commits");
        assertThat(destination.committedOffsets(group)).as("without --apply nothing is committed").isEmpty();

        assertThat(offsets("--apply")).as("exit code; stderr:%n%s", stderr()).isZero();
        assertThat(stdout()).contains("Applied: group " + group + " continues on the destination at the translated position"
                + " of " + PARTITIONS + " partition(s).");
        Map<TopicPartition, Long> expected = new TreeMap<>(java.util.Comparator.comparingInt(TopicPartition::partition));
        read.forEach((tp, position) -> expected.put(tp, own.get(tp) + position));
        assertThat(destination.committedOffsets(group)).isEqualTo(expected);

        Map<Integer, List<String>> rest = readOnDestination();
        Map<Integer, List<String>> sourceRest = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : source.readAll(topic)) {
            if (r.offset() >= read.get(new TopicPartition(topic, r.partition()))) {
                sourceRest.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(Records.describe(r));
            }
        }
        assertThat(rest).as("read on the destination: the source's records after the group's position, each once")
                .isEqualTo(sourceRest);

        assertThat(offsets("--apply")).as("a second --apply; stderr:%n%s", stderr()).isZero();
        assertThat(stdout()).contains("Nothing to move: group " + group + " is already at or past every translated position");
        assertThat(destination.committedOffsets(group)).as("never moved back").isNotEqualTo(expected)
                .isEqualTo(destination.endOffsets(topic));
    }

    @Test
    void apply_isRefused_whileTheGroupHasAMemberOnTheDestination_andCommitsNothing() throws Exception {
        readOnSource(RECORDS / 2);
        try (KafkaConsumer<byte[], byte[]> member = consumer(destination, "latest")) {
            member.subscribe(List.of(topic));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (member.assignment().isEmpty() && System.nanoTime() < deadline) {
                member.poll(Duration.ofMillis(100));
            }
            assertThat(member.assignment()).as("the member joined the group on the destination").isNotEmpty();

            assertThat(offsets("--apply")).isEqualTo(1);

            assertThat(stderr()).startsWith("kmirror offsets: --apply refused: group " + group + " has 1 active member(s) on"
                    + " the destination; its offsets were not changed (stop its consumers there first)");
            assertThat(destination.committedOffsets(group)).isEmpty();
        }
    }

    @Test
    void partitionsOfATopicNotMirrored_showNotYetMirrored_andApplyMovesTheRest_butExits1NamingThem() throws Exception {
        String other = Topics.unique("not-mirrored");
        source.createTopic(other, 1);
        source.produceKeyed(other, 10, 2, 1);
        Map<TopicPartition, Long> read = readOnSource(RECORDS / 2);
        commitOnSource(Map.of(new TopicPartition(other, 0), new OffsetAndMetadata(4)));

        assertThat(offsets("--apply")).isEqualTo(1);

        assertThat(stdout()).containsPattern("(?m)^" + other + "-0 +4 +- +not yet mirrored +- +-$")
                .contains("Applied: group " + group + " continues on the destination at the translated position of "
                        + PARTITIONS + " partition(s).");
        assertThat(stderr()).isEqualTo("kmirror offsets: 1 partition(s) not yet mirrored were left as they are: " + other
                + "-0; run again once the mirror has copied them\n");
        assertThat(destination.committedOffsets(group)).hasSize(read.size());
    }

    @Test
    void aMirrorGroupWithoutAMap_saysSo_andNamesTheOption() throws Exception {
        readOnSource(10);

        assertThat(offsets("--mirror-group", "no-such-mirror")).isZero();

        assertThat(stdout()).contains("Group " + group + ", translated through the offset map of mirror group no-such-mirror"
                        + " (--mirror-group):\n")
                .contains("The destination holds no offset map of mirror group no-such-mirror: check that it is the mirror's"
                        + " group (--mirror-group, or group.id in --consumer.config");
    }

    /** Runs {@code offsets} for the group with the test's files and {@code extra}; stdout and stderr of this run only. */
    private int offsets(String... extra) {
        out.reset();
        err.reset();
        List<String> args = new ArrayList<>(List.of("offsets", "--consumer.config", dir.resolve("consumer.properties").toString(),
                "--producer.config", dir.resolve("producer.properties").toString(), "--group", group));
        args.addAll(List.of(extra));
        return KmirrorMain.run(args.toArray(String[]::new), new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8));
    }

    /**
     * The application's consumer on the source: reads exactly {@code count} records of the topic, commits the
     * position after them in every partition (its start where it read none) and leaves.
     */
    private Map<TopicPartition, Long> readOnSource(int count) {
        Map<TopicPartition, Long> next = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(source, "earliest")) {
            consumer.subscribe(List.of(topic));
            int read = 0;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (read < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (read == count) {
                        break;
                    }
                    read++;
                    next.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
                }
            }
            assertThat(read).as("records read on the source").isEqualTo(count);
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                TopicPartition tp = new TopicPartition(topic, p);
                next.putIfAbsent(tp, 0L);
                commit.put(tp, new OffsetAndMetadata(next.get(tp)));
            }
            consumer.commitSync(commit);
        }
        return next;
    }

    private void commitOnSource(Map<TopicPartition, OffsetAndMetadata> offsets) throws Exception {
        source.admin().alterConsumerGroupOffsets(group, offsets).all().get();
    }

    /** The group on the destination, from its committed positions to the end of every partition. */
    private Map<Integer, List<String>> readOnDestination() {
        Map<Integer, List<String>> read = new TreeMap<>();
        Map<TopicPartition, Long> ends = destination.endOffsets(topic);
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(destination, "none")) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline && !(consumer.assignment().containsAll(ends.keySet())
                    && ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue()))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    read.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(Records.describe(r));
                }
            }
            consumer.commitSync();
        }
        return read;
    }

    private KafkaConsumer<byte[], byte[]> consumer(TestKafkaCluster cluster, String offsetReset) {
        Map<String, Object> config = cluster.clientConfig();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private String stdout() {
        return out.toString(UTF_8);
    }

    private String stderr() {
        return err.toString(UTF_8);
    }
}
