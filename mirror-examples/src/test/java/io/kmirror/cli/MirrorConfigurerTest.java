package io.kmirror.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kmirror.ConfigProblem;
import io.kmirror.MirrorListener;
import io.kmirror.MirrorState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checking options and files, without brokers: build() connects to nothing. */
class MirrorConfigurerTest {

    private static final MirrorListener NO_LISTENER = new MirrorListener() { };

    @TempDir
    Path dir;

    @Test
    void walkthroughFiles_groupFromTheConsumerFile_everyProducerKeyKept_secretsHidden() throws Exception {
        Path consumer = write("consumer.properties", "bootstrap.servers=localhost:9092\ngroup.id=mirrorgroup\n");
        Path producer = write("producer.properties",
                "bootstrap.servers=localhost:9093\ncompression.type=none\nssl.key.password=s3cret\n");

        MirrorSetup setup = configure("--consumer.config", consumer.toString(), "--producer.config", producer.toString(),
                "--whitelist", "testtopic", "--num.streams", "4");

        assertThat(setup.mirror().state()).isEqualTo(MirrorState.CREATED);
        assertThat(setup.groupId()).isEqualTo("mirrorgroup");
        assertThat(setup.groupOrigin()).isEqualTo("group.id in " + consumer);
        assertThat(setup.producer().config()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "bootstrap.servers", "localhost:9093", "compression.type", "none", "ssl.key.password", "s3cret"));
        String banner = StartBanner.render(setup, "kmirror test");
        assertThat(banner)
                .contains("consumer group       mirrorgroup (group.id in " + consumer + ")")
                .contains("streams              4 consumer threads")
                .contains("compression.type=none\n")
                .contains("ssl.key.password=[hidden]")
                .contains("acks=all   (kmirror's default)")
                .contains("metadata.max.age.ms=30000   (kmirror's default)")
                .doesNotContain("key.serializer", "enable.auto.commit")
                .contains("--whitelist testtopic")
                .doesNotContain("s3cret");
    }

    @Test
    void faultPolicies_areChosenOnTheCommandLine_andShownInTheBanner() throws Exception {
        Path consumer = write("consumer.properties", "bootstrap.servers=localhost:9092\n");
        Path producer = write("producer.properties", "bootstrap.servers=localhost:9093\n");

        MirrorSetup setup = configure("--consumer.config", consumer.toString(), "--producer.config", producer.toString(),
                "--whitelist", "testtopic", "--exactly-once", "--on-send-failure", "pause-partition",
                "--on-gap", "record-and-continue");

        assertThat(StartBanner.render(setup, "kmirror test"))
                .contains("a refused record pauses its partition, retried while the others flow")
                .contains("records deleted before they were mirrored are logged and passed");
    }

    @Test
    void syncGroupOffsets_isShownInTheBanner_andABadRegexIsNamedByTheOption() throws Exception {
        Path consumer = write("consumer.properties", "bootstrap.servers=localhost:9092\n");
        Path producer = write("producer.properties", "bootstrap.servers=localhost:9093\n");

        MirrorSetup setup = configure("--consumer.config", consumer.toString(), "--producer.config", producer.toString(),
                "--whitelist", "testtopic", "--sync-group-offsets", "orders-.*");
        assertThat(StartBanner.render(setup, "kmirror test")).contains("group offsets        translated to the destination"
                + " every second for groups matching --sync-group-offsets orders-.*");
        assertThat(StartBanner.render(configure("--consumer.config", consumer.toString(), "--producer.config",
                producer.toString(), "--whitelist", "testtopic"), "kmirror test")).doesNotContain("group offsets");

        UsageException e = reject("--consumer.config", consumer.toString(), "--producer.config", producer.toString(),
                "--whitelist", "testtopic", "--sync-group-offsets", "orders-(");
        assertThat(e.problems()).singleElement().asString().startsWith("--sync-group-offsets: ").contains("orders-(");
    }

    @Test
    void unknownFaultPolicies_andSkippingUnderExactlyOnce_areRefusedInCommandLineWords() throws Exception {
        Path consumer = write("consumer.properties", "bootstrap.servers=localhost:9092\n");
        Path producer = write("producer.properties", "bootstrap.servers=localhost:9093\n");

        UsageException e = reject("--consumer.config", consumer.toString(), "--producer.config", producer.toString(),
                "--whitelist", "testtopic", "--on-send-failure", "retry", "--on-gap", "ignore");
        assertThat(e.problems()).contains("--on-send-failure must be fail, skip or pause-partition, was retry",
                "--on-gap must be fail or record-and-continue, was ignore");

        UsageException skipping = reject("--consumer.config", consumer.toString(), "--producer.config", producer.toString(),
                "--whitelist", "testtopic", "--exactly-once", "--on-send-failure", "skip");
        assertThat(skipping.problems()).singleElement().asString()
                .startsWith("--on-send-failure skip cannot be combined with --exactly-once");
    }

    @Test
    void transactionSlots_areShownInTheBanner_andRefusedWithoutExactlyOnceInCommandLineWords() throws Exception {
        Path consumer = write("consumer.properties", "bootstrap.servers=localhost:9092\n");
        Path producer = write("producer.properties", "bootstrap.servers=localhost:9093\n");

        MirrorSetup setup = configure("--consumer.config", consumer.toString(), "--producer.config", producer.toString(),
                "--whitelist", "testtopic", "--exactly-once", "--transaction.slots", "16");
        assertThat(StartBanner.render(setup, "kmirror test")).contains("exactly-once through 16 transaction slots");

        UsageException alone = reject("--consumer.config", consumer.toString(), "--producer.config", producer.toString(),
                "--whitelist", "testtopic", "--transaction.slots", "16");
        assertThat(alone.problems()).singleElement().asString().startsWith("--transaction.slots").contains("EXACTLY_ONCE only");
    }

    @Test
    void startAndThrottle_areChosenOnTheCommandLine_andShownInTheBanner() throws Exception {
        Path consumer = write("consumer.properties", "bootstrap.servers=localhost:9092\n");
        Path producer = write("producer.properties", "bootstrap.servers=localhost:9093\n");

        MirrorSetup setup = configure("--consumer.config", consumer.toString(), "--producer.config", producer.toString(),
                "--whitelist", "testtopic", "--start-from", "2026-12-01T08:00:00+01:00", "--throttle.bytes.per.sec", "1000000");

        assertThat(StartBanner.render(setup, "kmirror test"))
                .contains("partitions without offsets from timestamp(2026-12-01T07:00:00Z) (--start-from)")
                .contains("1000000 bytes/s fetched from the source (--throttle.bytes.per.sec)");
        assertThat(MirrorConfigurer.startPosition("LATEST")).isEqualTo(io.kmirror.StartPosition.latest());
    }

    @Test
    void badStartOrThrottle_andAStartGivenTwice_areRefusedInCommandLineWords() throws Exception {
        Path consumer = write("consumer.properties", "bootstrap.servers=localhost:9092\nauto.offset.reset=earliest\n");
        Path producer = write("producer.properties", "bootstrap.servers=localhost:9093\n");

        UsageException bad = reject("--consumer.config", consumer.toString(), "--producer.config", producer.toString(),
                "--whitelist", "testtopic", "--start-from", "yesterday", "--throttle.bytes.per.sec", "-1");
        assertThat(bad.problems()).contains(
                "--start-from must be earliest, latest or an ISO-8601 time such as 2026-12-01T08:00:00Z, was yesterday",
                "--throttle.bytes.per.sec must be 0 (no limit) or positive, was -1");

        UsageException twice = reject("--consumer.config", consumer.toString(), "--producer.config", producer.toString(),
                "--whitelist", "testtopic", "--start-from", "latest");
        assertThat(twice.problems()).singleElement().asString().startsWith("--start-from:")
                .contains("auto.offset.reset=earliest").contains("keep one of them");
    }

    @Test
    void metricsPortOutOfRange_isRefusedNamingTheOption() throws Exception {
        Path consumer = write("consumer.properties", "bootstrap.servers=localhost:9092\n");
        Path producer = write("producer.properties", "bootstrap.servers=localhost:9093\n");

        UsageException e = reject("--consumer.config", consumer.toString(), "--producer.config", producer.toString(),
                "--whitelist", "testtopic", "--metrics.port", "70000");

        assertThat(e.problems()).containsExactly("--metrics.port must be a port number from 0 (any free port) to 65535, was 70000");
    }

    @Test
    void walkthroughsOwnConsumerFile_withOnlyZookeeper_showsTheLineToAdd() throws Exception {
        Path consumer = write("consumer.properties", "zookeeper.connect=localhost:2181\ngroup.id=mirrorgroup\n");
        Path producer = write("producer.properties", "bootstrap.servers=localhost:9093\n");

        UsageException e = reject("--consumer.config", consumer.toString(), "--producer.config", producer.toString(),
                "--whitelist", "testtopic", "--num.streams", "4");

        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0))
                .startsWith("--consumer.config " + consumer + ": 'zookeeper.connect' is set but 'bootstrap.servers' is not;")
                .contains("current clients talk to the brokers")
                .endsWith("add this line to " + consumer + ":\n    bootstrap.servers=localhost:9092");
        assertThat(e.render()).startsWith("kmirror: --consumer.config ")
                .endsWith("\nNothing was started. 'java -jar kmirror.jar --help' lists every option.");
    }

    @Test
    void producerFile_withoutBootstrapServers_isNamed_andAnOldProducersKeyIsTranslated() throws Exception {
        Path consumer = write("consumer.properties", "bootstrap.servers=localhost:9092\n");
        Path producer = write("producer.properties", "metadata.broker.list=broker1:9092,broker2:9092\n");

        UsageException e = reject("--consumer.config", consumer.toString(), "--producer.config", producer.toString(),
                "--whitelist", "testtopic");

        assertThat(e.problems()).singleElement().asString()
                .startsWith("--producer.config " + producer + ": 'bootstrap.servers' is missing")
                .endsWith("metadata.broker.list is the old producer's name for it; in " + producer
                        + " write:\n    bootstrap.servers=broker1:9092,broker2:9092");
    }

    @Test
    void missingRequiredOptions_areNamedInCommandLineWords() {
        UsageException e = reject("--num.streams", "2");
        assertThat(e.problems()).containsExactly(
                "--consumer.config FILE is required: the source cluster's consumer properties, e.g. a file with"
                        + " bootstrap.servers=source-host:9092 and group.id=mirrorgroup",
                "--producer.config FILE is required: the destination cluster's producer properties, e.g. a file with"
                        + " bootstrap.servers=destination-host:9092",
                "--whitelist REGEX is required: which source topics to mirror, e.g. --whitelist testtopic"
                        + " (--include is the same option)");
    }

    @Test
    void everyProblem_isReportedAtOnce() throws Exception {
        Path consumer = write("consumer.properties", "bootstrap.servers=localhost:9092\ngroup.id=mirrorgroup\n");
        Path producer = write("producer.properties", "bootstrap.servers=localhost:9093\n");

        UsageException e = reject("--consumer.config", consumer.toString(), "--producer.config", producer.toString(),
                "--whitelist", "orders(", "--num.streams", "0", "--group", "other", "--message.handler", "com.example.Nope",
                "--shutdown.timeout.ms", "0");

        List<String> problems = new ArrayList<>(e.problems());
        assertThat(problems).hasSize(5);
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("--whitelist / --exclude: include regex 'orders(' does not compile"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("--num.streams: must be at least 1, was 0"));
        assertThat(problems).contains("--group other and group.id=mirrorgroup in " + consumer
                + " disagree; they are one setting: give only one of them");
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("--message.handler com.example.Nope: no such class"));
        assertThat(problems).contains("--shutdown.timeout.ms must be positive, was 0");
        assertThat(e.render()).startsWith("kmirror: 5 problems:\n  - ");
    }

    @Test
    void sameClusterOnBothSides_suggestsTheCommandLinesPrefixOption() throws Exception {
        Path consumer = write("consumer.properties", "bootstrap.servers=localhost:9092\n");
        Path producer = write("producer.properties", "bootstrap.servers=localhost:9092\n");

        UsageException e = reject("--consumer.config", consumer.toString(), "--producer.config", producer.toString(),
                "--whitelist", "testtopic");

        assertThat(e.problems()).singleElement().asString()
                .startsWith("--producer.config " + producer + ": ")
                .contains("endless loop")
                .endsWith("--topic-prefix PREFIX")
                .doesNotContain("TopicNaming");
    }

    @Test
    void withATopicPrefix_oneClusterIsFine() throws Exception {
        Path consumer = write("consumer.properties", "bootstrap.servers=localhost:9092\n");
        Path producer = write("producer.properties", "bootstrap.servers=localhost:9092\n");
        MirrorSetup setup = configure("--consumer.config", consumer.toString(), "--producer.config", producer.toString(),
                "--whitelist", "testtopic", "--topic-prefix", "backup.");
        assertThat(setup.groupId()).isEqualTo("kmirror");
        assertThat(StartBanner.render(setup, "v")).contains("destination topics   \"backup.\" + the source topic's name")
                .contains("consumer group       kmirror (default)");
    }

    @Test
    void exactlyOnceProblems_areSaidInCommandLineWords() {
        ConfigFile consumer = new ConfigFile("--consumer.config", Path.of("c.properties"), Map.of());
        ConfigFile producer = new ConfigFile("--producer.config", Path.of("p.properties"), Map.of());
        Arguments a = new Arguments();
        assertThat(MirrorConfigurer.translate(new ConfigProblem("destination", "acks", "1",
                "'acks=1' cannot be combined with EXACTLY_ONCE, which needs acks=all", "remove the key"), a, consumer, producer))
                .isEqualTo("--producer.config p.properties: 'acks=1' cannot be combined with EXACTLY_ONCE, which needs"
                        + " acks=all; remove the key");
        assertThat(MirrorConfigurer.translate(new ConfigProblem("source", "enable.auto.commit", "true",
                "'enable.auto.commit=true' would commit offsets early", ""), a, consumer, producer))
                .isEqualTo("--consumer.config c.properties: 'enable.auto.commit=true' would commit offsets early");
        assertThat(MirrorConfigurer.translate(ConfigProblem.of("streams", 0, "must be at least 1, was 0", "one thread each"),
                a, consumer, producer)).isEqualTo("--num.streams: must be at least 1, was 0; one thread each");
    }

    @Test
    void exactlyOnceWithSkipping_isRefusedInCommandLineWords() throws Exception {
        Path consumer = write("consumer.properties", "bootstrap.servers=localhost:9092\n");
        Path producer = write("producer.properties", "bootstrap.servers=localhost:9093\n");
        UsageException e = reject("--consumer.config", consumer.toString(), "--producer.config", producer.toString(),
                "--whitelist", "t", "--exactly-once", "--abort.on.send.failure", "false", "--log-level", "LOUD");
        assertThat(e.problems()).containsExactly(
                "--log-level must be one of ERROR, WARN, INFO, DEBUG, TRACE, was LOUD",
                "--abort.on.send.failure=false cannot be combined with --exactly-once: a transaction with a refused"
                        + " record cannot commit; leave out one of them (pause-partition works with --exactly-once)");
    }

    @Test
    void brokersGuess_usesTheZookeeperHostsAtKafkasDefaultPort() {
        assertThat(MirrorConfigurer.brokersGuess("localhost:2181")).isEqualTo("localhost:9092");
        assertThat(MirrorConfigurer.brokersGuess("zk1:2181, zk2:2181/kafka")).isEqualTo("zk1:9092,zk2:9092");
        assertThat(MirrorConfigurer.brokersGuess("zk1")).isEqualTo("zk1:9092");
    }

    private MirrorSetup configure(String... args) throws UsageException {
        return MirrorConfigurer.configure(CommandLineParser.parse(args), NO_LISTENER);
    }

    private UsageException reject(String... args) {
        return catchThrowableOfType(UsageException.class, () -> configure(args));
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
