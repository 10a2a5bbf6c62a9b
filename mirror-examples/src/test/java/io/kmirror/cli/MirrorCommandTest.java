package io.kmirror.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.List;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line in-process, for what needs no brokers: bad input exits 2 with nothing started, help exits 0. */
class MirrorCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    @Test
    void walkthroughWithItsZookeeperConsumerFile_exits2_showingTheLineToAdd_andStartsNothing() throws Exception {
        Path consumer = Files.writeString(dir.resolve("consumer.properties"), "zookeeper.connect=localhost:2181\ngroup.id=mirrorgroup\n");
        Path producer = Files.writeString(dir.resolve("producer.properties"), "bootstrap.servers=localhost:9093\ncompression.type=none\n");

        int code = run("--consumer.config", consumer.toString(), "--producer.config", producer.toString(),
                "--whitelist", "testtopic", "--num.streams", "4");

        assertThat(code).isEqualTo(2);
        assertThat(stderr()).startsWith("kmirror: --consumer.config " + consumer + ": 'zookeeper.connect' is set but")
                .contains("\n    bootstrap.servers=localhost:9092\n")
                .endsWith("Nothing was started. 'java -jar kmirror.jar --help' lists every option.\n");
        assertThat(stdout()).as("no configuration block: nothing started").isEmpty();
    }

    @Test
    void unknownOption_exits2_withTheNearestOption() {
        assertThat(run("--consumer.config", "c", "--producer-config", "p")).isEqualTo(2);
        assertThat(stderr()).startsWith("kmirror: unknown option '--producer-config'; did you mean --producer.config?\n");
    }

    @Test
    void droppedOption_exits2_withWhatToUseInstead() {
        assertThat(run("--consumer.config", "c", "--producer.config", "p", "--blacklist", "x.*")).isEqualTo(2);
        assertThat(stderr()).contains("use --exclude REGEX together with --whitelist REGEX");
    }

    @Test
    void missingConfigFile_exits2_namingIt() {
        Path missing = dir.resolve("consumer.properties");
        assertThat(run("--consumer.config", missing.toString(), "--producer.config", missing.toString(), "--whitelist", "t"))
                .isEqualTo(2);
        assertThat(stderr()).contains("--consumer.config " + missing + ": no such file")
                .contains("--producer.config " + missing + ": no such file");
    }

    @Test
    void messageHandlerOfTheWrongType_exits2() throws Exception {
        Path file = Files.writeString(dir.resolve("c.properties"), "bootstrap.servers=localhost:9092\n");
        Path other = Files.writeString(dir.resolve("p.properties"), "bootstrap.servers=localhost:9093\n");
        assertThat(run("--consumer.config", file.toString(), "--producer.config", other.toString(), "--whitelist", "t",
                "--message.handler", "java.util.ArrayList")).isEqualTo(2);
        assertThat(stderr()).contains("--message.handler java.util.ArrayList: does not implement io.kmirror.RecordTransformer");
    }

    @Test
    void help_printsTheReferenceOnStdout_andExits0() {
        assertThat(run("--help")).isZero();
        assertThat(stdout()).isEqualTo(CommandLineParser.usage()).contains("--consumer.config=FILE", "Exit codes:");
        assertThat(stderr()).isEmpty();
    }

    @Test
    void noArguments_printUsageOnStderr_andExit2() {
        assertThat(run()).isEqualTo(2);
        assertThat(stderr()).contains("Usage: java -jar kmirror.jar --consumer.config FILE")
                .endsWith("kmirror: a mirror needs at least --consumer.config, --producer.config and --whitelist.\n");
    }

    @Test
    void demoAndBench_withoutTheDemoJarNextToThisOne_exit2_namingTheJarToRun() throws Exception {
        Path absent = dir.resolve("kmirror-demo.jar");
        assertThat(DemoJar.run(absent, "bench", List.of("--records", "10"), false, InputStream.nullInputStream(),
                print(out), print(err))).isEqualTo(2);
        assertThat(stderr()).isEqualTo("kmirror: bench lives in kmirror-demo.jar, which is not next to this jar (looked for "
                + absent + "). Build it with 'mvn -B package -DskipTests' (it is mirror-examples/target/kmirror-demo.jar)"
                + " and run: java -jar kmirror-demo.jar bench --records 10\n");
    }

    @Test
    void newConsumer_isAcceptedWithAWarning_asMirrorMaker1AcceptedIt() throws Exception {
        Path file = Files.writeString(dir.resolve("c.properties"), "zookeeper.connect=localhost:2181\n");
        assertThat(run("--consumer.config", file.toString(), "--producer.config", file.toString(), "--whitelist", "t",
                "--new.consumer")).isEqualTo(2);
        assertThat(stderr()).startsWith(CommandLineParser.NEW_CONSUMER_WARNING + "\n")
                .contains("'zookeeper.connect' is set but 'bootstrap.servers' is not");
    }

    private int run(String... args) {
        return KmirrorMain.run(args, print(out), print(err));
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, UTF_8);
    }

    private String stdout() {
        return out.toString(UTF_8);
    }

    private String stderr() {
        return err.toString(UTF_8);
    }
}
