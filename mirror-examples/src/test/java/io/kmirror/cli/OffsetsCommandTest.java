package io.kmirror.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.GroupOffset;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kmirror.jar offsets} in-process, for what needs no brokers: bad input exits 2 naming each problem, help exits 0. */
class OffsetsCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    @Test
    void help_printsTheOffsetsReference_andExits0() {
        assertThat(run("offsets", "--help")).isZero();
        assertThat(stdout()).isEqualTo(CommandLineParser.offsetsUsage())
                .startsWith("Shows where a consumer group continues on the destination")
                .contains("--consumer.config=FILE", "--producer.config=FILE", "--group=GROUP", "--mirror-group=GROUP",
                        "--apply", "Exit codes:");
        assertThat(stderr()).isEmpty();
    }

    @Test
    void mainHelp_listsTheOffsetsCommand() {
        assertThat(run("--help")).isZero();
        assertThat(stdout()).contains("java -jar kmirror.jar offsets --group GROUP [--apply] [OPTION...]",
                "  offsets  Shows where a consumer group continues on the destination");
    }

    @Test
    void nothingGiven_exits2_namingEveryRequiredOption_andReadsNothing() {
        assertThat(run("offsets")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("kmirror: 3 problems:\n"
                + "  - --consumer.config FILE is required: the mirror's consumer properties of the source cluster, with"
                + " bootstrap.servers\n"
                + "  - --producer.config FILE is required: the mirror's producer properties of the destination cluster,"
                + " with bootstrap.servers\n"
                + "  - --group GROUP is required: the consumer group to move to the destination, e.g. --group orders-app\n"
                + "Nothing was read or changed. 'java -jar kmirror.jar offsets --help' lists its options.\n");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void fileWithoutBootstrapServers_exits2_withTheLineToAdd() throws Exception {
        Path consumer = Files.writeString(dir.resolve("consumer.properties"), "zookeeper.connect=zk1:2181/kafka\n");
        Path producer = Files.writeString(dir.resolve("producer.properties"), "compression.type=none\n");

        assertThat(run("offsets", "--consumer.config", consumer.toString(), "--producer.config", producer.toString(),
                "--group", "orders-app")).isEqualTo(2);

        assertThat(stderr()).contains("--consumer.config " + consumer + ": 'bootstrap.servers' is missing (Kafka's clients no"
                        + " longer use zookeeper.connect); add the source cluster's brokers, e.g.:\n        bootstrap.servers=zk1:9092\n")
                .contains("--producer.config " + producer + ": 'bootstrap.servers' is missing; add the destination cluster's"
                        + " brokers, e.g.:\n        bootstrap.servers=destination-host:9092\n");
    }

    @Test
    void theMirrorsOwnGroup_exits2_sayingWhereTheMirrorsGroupCameFrom() throws Exception {
        Path consumer = Files.writeString(dir.resolve("consumer.properties"),
                "bootstrap.servers=localhost:9092\ngroup.id=mirrorgroup\n");
        Path producer = Files.writeString(dir.resolve("producer.properties"), "bootstrap.servers=localhost:9093\n");

        assertThat(run("offsets", "--consumer.config", consumer.toString(), "--producer.config", producer.toString(),
                "--group", "mirrorgroup", "--apply")).isEqualTo(2);

        assertThat(stderr()).startsWith("kmirror: --group mirrorgroup is the mirror's own group (group.id in " + consumer
                + "), whose offsets are the mirror's; name the application's group to move");
    }

    @Test
    void optionsOfTheMirrorBeforeOffsets_exit2_askingForTheCommandFirst() {
        assertThat(run("--group", "g", "offsets")).isEqualTo(2);
        assertThat(stderr()).startsWith("kmirror: options before 'offsets' belong to the mirror; give the command first");
    }

    @Test
    void unknownOption_exits2_withTheNearestOfOffsets() {
        assertThat(run("offsets", "--mirror.group", "m")).isEqualTo(2);
        assertThat(stderr()).startsWith("kmirror: unknown option '--mirror.group'; did you mean --mirror-group?");
    }

    @Test
    void table_showsEachPartitionsPositions_andNotYetMirrored_inAlignedColumns() {
        TopicPartition orders0 = new TopicPartition("orders", 0);
        TopicPartition orders1 = new TopicPartition("orders", 1);
        TopicPartition audit0 = new TopicPartition("audit", 0);
        String table = OffsetsTable.render(List.of(
                new GroupOffset(orders0, 1200, Optional.of(orders0), OptionalLong.of(1350), 2150, OptionalLong.empty()),
                new GroupOffset(orders1, 7, Optional.of(orders1), OptionalLong.empty(), 40, OptionalLong.of(3)),
                new GroupOffset(audit0, 5, Optional.empty(), OptionalLong.empty(), -1, OptionalLong.empty())));

        assertThat(table).isEqualTo(""
                + "SOURCE    SOURCE POSITION  DESTINATION  DESTINATION POSITION  LAG  COMMITTED ON DESTINATION\n"
                + "orders-0  1200             orders-0     1350                  800  -\n"
                + "orders-1  7                orders-1     not yet mirrored      -    3\n"
                + "audit-0   5                -            not yet mirrored      -    -\n");
    }

    private int run(String... args) {
        return KmirrorMain.run(args, new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8));
    }

    private String stdout() {
        return out.toString(UTF_8);
    }

    private String stderr() {
        return err.toString(UTF_8);
    }
}
