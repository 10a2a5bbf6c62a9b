package io.kmirror.cli;

import io.kmirror.MirrorBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * The command line's options, each defined once: its name, default and the text {@code --help} shows.
 * MirrorMaker 1's options keep their names and meanings; kmirror's own follow them. Filled by
 * {@link CommandLineParser}; checked by {@link MirrorConfigurer}. The subcommand {@code offsets} has options of
 * its own ({@link OffsetsArguments}); {@code demo} and {@code bench} belong to {@value DemoJar#FILE_NAME}: their
 * arguments are passed on unread.
 */
@Command(
        name = "java -jar kmirror.jar",
        customSynopsis = {
            "java -jar kmirror.jar --consumer.config FILE --producer.config FILE --whitelist REGEX [OPTION...]",
            "       java -jar kmirror.jar offsets --group GROUP [--apply] [OPTION...]",
            "       java -jar kmirror.jar demo|bench [--help] [OPTION...]"},
        subcommands = {OffsetsArguments.class, Arguments.Demo.class, Arguments.Bench.class},
        commandListHeading = "%nCommands:%n",
        header = "Mirrors Kafka topics from a source cluster to a destination cluster, with MirrorMaker 1's options and files.",
        sortOptions = false,
        usageHelpWidth = 100,
        versionProvider = Arguments.Version.class,
        footerHeading = "%n",
        footer = {
            "Files are read as MirrorMaker read them (java.util.Properties); every Kafka client key in them is used.",
            "zookeeper.connect and producer.type are MirrorMaker 1 keys that current clients ignore.",
            "",
            "While running, a status line shows records/s, MB/s, total lag (and how many seconds behind), the",
            "p99 replication latency and topics (on a terminal; otherwise a log line every 30 s). SIGTERM or",
            "Ctrl-C stops gracefully: in-flight records are drained and their offsets committed.",
            "",
            "Exit codes: 0 stopped cleanly (or caught up with --stop-when-caught-up), 1 the mirror failed,",
            "2 bad arguments or configuration (nothing was started).",
            "",
            "offsets moves a consumer group to the destination at the exact record (a failover); offsets --help",
            "lists its options.",
            "",
            "demo and bench live in " + DemoJar.FILE_NAME + " (it holds two embedded Kafka clusters); kmirror.jar runs it",
            "when it lies next to kmirror.jar: java -jar " + DemoJar.FILE_NAME + " demo --help.",
            "Logging: warnings on stderr; --log-level, or -Dlog4j2.configurationFile=FILE before -jar for a",
            "log4j2 configuration of your own."
        })
final class Arguments {

    @Option(names = "--consumer.config", paramLabel = "FILE", order = 1,
            description = "Consumer properties of the source cluster: bootstrap.servers (required), group.id, security, ...")
    Path consumerConfig;

    @Option(names = "--producer.config", paramLabel = "FILE", order = 2,
            description = "Producer properties of the destination cluster: bootstrap.servers (required), compression.type, ...")
    Path producerConfig;

    @Option(names = {"--whitelist", "--include"}, paramLabel = "REGEX", order = 3,
            description = "Source topics to mirror: a Java regex where ',' also means 'or', e.g. 'orders,payments.*'."
                    + " --include is MirrorMaker's newer name for --whitelist.")
    String whitelist;

    @Option(names = "--exclude", paramLabel = "REGEX", order = 4,
            description = "Source topics not to mirror even if they match --whitelist (replaces MirrorMaker's --blacklist).")
    String exclude;

    @Option(names = "--num.streams", paramLabel = "N", defaultValue = "" + MirrorBuilder.DEFAULT_STREAMS, order = 5,
            description = "Consumer threads, all in one consumer group (default: ${DEFAULT-VALUE}).")
    int numStreams;

    @Option(names = "--offset.commit.interval.ms", paramLabel = "MS", defaultValue = "5000", order = 6,
            description = "How often offsets of records the destination acknowledged are committed; also on stop"
                    + " (default: ${DEFAULT-VALUE}; MirrorMaker's was 60000).")
    long offsetCommitIntervalMs;

    @Option(names = "--abort.on.send.failure", paramLabel = "true|false", arity = "1", defaultValue = "true", order = 7,
            description = "true: a record the destination refuses for good stops the mirror (exit 1); false: it is"
                    + " logged, counted and skipped (default: ${DEFAULT-VALUE}).")
    boolean abortOnSendFailure;

    @Option(names = "--on-send-failure", paramLabel = "fail|skip|pause-partition", order = 7,
            description = "What a record the destination refuses (too large, invalid) does: fail stops the mirror"
                    + " (exit 1), skip logs, counts and skips it, pause-partition pauses just its partition and retries"
                    + " it while the others flow. Overrides --abort.on.send.failure. A destination that is down,"
                    + " an authentication failure or a missing permission stop the mirror under every policy.")
    String onSendFailure;

    @Option(names = "--on-gap", paramLabel = "fail|record-and-continue", defaultValue = "fail", order = 7,
            description = "What records deleted at the source before they were mirrored (retention, deleteRecords) or"
                    + " a source topic deleted and recreated do: fail stops the mirror naming the range (exit 1),"
                    + " record-and-continue logs the gap and goes on (default: ${DEFAULT-VALUE}).")
    String onGap;

    @Option(names = "--loop-prevention", paramLabel = "true|false", arity = "1", defaultValue = "true", order = 7,
            description = "true: records carry the ids of the clusters they were written to (header __kmirror.origin)"
                    + " and are never sent to one of them again, so two kmirrors may copy the same topic names both"
                    + " ways (default: ${DEFAULT-VALUE}); false: records are copied byte for byte, for one-way mirrors.")
    boolean loopPrevention;

    @Option(names = "--start-from", paramLabel = "earliest|latest|TIME", order = 7,
            description = "Where partitions the group has no offsets for start: earliest (the default), latest (only"
                    + " records written from now on) or the first record at or after an ISO-8601 time such as"
                    + " 2026-12-01T08:00:00Z. Partitions with offsets resume from them. The same as auto.offset.reset"
                    + " in --consumer.config: give one or the other.")
    String startFrom;

    @Option(names = "--throttle.bytes.per.sec", paramLabel = "BYTES", defaultValue = "0", order = 7,
            description = "At most this many key and value bytes per second fetched from the source, over all streams"
                    + " (0: no limit, the default). Fetches pause; the group's heartbeats and commits go on.")
    long throttleBytesPerSec;

    @Option(names = "--message.handler", paramLabel = "CLASS", order = 8,
            description = "A class implementing io.kmirror.RecordTransformer that rewrites or drops records,"
                    + " e.g. io.kmirror.examples.DropEmptyValues. Needs a public no-arg constructor, or one taking"
                    + " a String when --message.handler.args is given.")
    String messageHandler;

    @Option(names = "--message.handler.args", paramLabel = "ARGS", order = 9,
            description = "The String passed to the --message.handler class's constructor.")
    String messageHandlerArgs;

    @Option(names = "--group", paramLabel = "GROUP", order = 10,
            description = "The source consumer group; the same setting as group.id in --consumer.config"
                    + " (default: that group.id, else kmirror).")
    String group;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX", order = 11,
            description = "Destination topics are named PREFIX + source topic (default: the same names).")
    String topicPrefix;

    @Option(names = "--sync-group-offsets", paramLabel = "REGEX", order = 11,
            description = "Consumer groups (a Java regex matched against whole group ids) whose committed offsets on"
                    + " the source are translated and committed to the same groups on the destination every second, so"
                    + " their consumers can switch clusters at any time: only while a group has no active member there,"
                    + " never backwards. The offsets command shows and moves one group by hand.")
    String syncGroupOffsets;

    @Option(names = "--stop-when-caught-up", order = 12,
            description = "A one-off copy: exit 0 once every partition is mirrored up to the end it had at start;"
                    + " shows a progress bar.")
    boolean stopWhenCaughtUp;

    @Option(names = "--exactly-once", order = 13,
            description = "Exactly-once delivery: records and the offsets they cover committed in one destination"
                    + " transaction; read the destination with isolation.level=read_committed.")
    boolean exactlyOnce;

    @Option(names = "--transaction.slots", paramLabel = "N", order = 13,
            description = "With --exactly-once: write through N transactional producers for the whole group instead of"
                    + " one per source partition (for thousands of partitions; every instance needs the same N).")
    Integer transactionSlots;

    @Option(names = "--shutdown.timeout.ms", paramLabel = "MS", defaultValue = "30000", order = 14,
            description = "How long a stop (SIGTERM, Ctrl-C) may take to drain and commit (default: ${DEFAULT-VALUE}).")
    long shutdownTimeoutMs;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "WARN", order = 15,
            description = "Level of kmirror's and the Kafka clients' log lines on stderr: ERROR, WARN, INFO, DEBUG"
                    + " (default: ${DEFAULT-VALUE}).")
    String logLevel;

    /** MirrorMaker 1 accepted and ignored it in 2.x and 3.x; so does kmirror, with a warning. */
    @Option(names = "--new.consumer", hidden = true)
    boolean newConsumer;

    @Option(names = "--metrics.port", paramLabel = "PORT", order = 16,
            description = "Serve the mirror's metrics as Prometheus text at http://HOST:PORT/metrics (0: any free port;"
                    + " the address is printed). JMX MBeans under kmirror:* are always on.")
    Integer metricsPort;

    @Option(names = {"-h", "--help"}, usageHelp = true, order = 16, description = "Print this help and exit.")
    boolean help;

    @Option(names = "--version", versionHelp = true, order = 17, description = "Print kmirror's version and exit.")
    boolean version;

    /** {@code offsets} and its options, to run instead of a mirror; null for a mirror. */
    OffsetsArguments offsets;

    /** A program of {@value DemoJar#FILE_NAME} to run instead of a mirror: {@code demo} or {@code bench}; null for a mirror. */
    DemoJarCommand program;

    /** A command of {@value DemoJar#FILE_NAME}: its arguments, whatever they are, go to it unread. */
    abstract static class DemoJarCommand {
        @Unmatched
        List<String> args = new ArrayList<>();

        /** The command's name, as {@value DemoJar#FILE_NAME} takes it. */
        abstract String name();
    }

    @Command(name = "demo", description = "The embedded demo: two Kafka clusters in one JVM, testtopic mirrored and checked"
            + " record by record; --interactive mirrors lines typed on stdin. Runs " + DemoJar.FILE_NAME + "; demo --help"
            + " lists its options.")
    static final class Demo extends DemoJarCommand {
        @Override
        String name() {
            return "demo";
        }
    }

    @Command(name = "bench", description = "The benchmark: kmirror against a bare consumer-to-producer loop, each in a JVM"
            + " of its own, on embedded clusters. Runs " + DemoJar.FILE_NAME + "; bench --help lists its options.")
    static final class Bench extends DemoJarCommand {
        @Override
        String name() {
            return "bench";
        }
    }

    /** kmirror's version from the jar's manifest. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Arguments.class.getPackage().getImplementationVersion();
            return new String[] {"kmirror " + (version == null ? "(development build)" : version)};
        }
    }
}
