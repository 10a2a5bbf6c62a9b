package io.kmirror.cli;

import io.kmirror.ConfigProblem;
import io.kmirror.DeliveryGuarantee;
import io.kmirror.GapPolicy;
import io.kmirror.GroupFilter;
import io.kmirror.EffectiveConfigs;
import io.kmirror.Mirror;
import io.kmirror.MirrorBuilder;
import io.kmirror.MirrorConfigException;
import io.kmirror.MirrorListener;
import io.kmirror.SendFailurePolicy;
import io.kmirror.StartPosition;
import io.kmirror.TopicFilter;
import io.kmirror.TopicNaming;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks the parsed options and the files they name and builds the mirror, not started. Every problem
 * is reported at once, in command-line words: problems the CLI sees itself (required options, files,
 * the message handler) and the {@link ConfigProblem}s {@link MirrorBuilder#build()} reports, each said
 * with the option or file its setting comes from and a line to copy where one helps.
 */
final class MirrorConfigurer {

    static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    static final String ZOOKEEPER_CONNECT = "zookeeper.connect";
    /** The old Scala producer's name for bootstrap.servers, found in old MirrorMaker producer files. */
    static final String METADATA_BROKER_LIST = "metadata.broker.list";

    /** The options that give builder settings; source, destination and topicNaming depend on the command line. */
    private static final Map<String, String> OPTION_OF_SETTING = Map.ofEntries(
            Map.entry("topics", "--whitelist / --exclude"),
            Map.entry("streams", "--num.streams"),
            Map.entry("groupId", "--group / group.id"),
            Map.entry("offsetCommitInterval", "--offset.commit.interval.ms"),
            Map.entry("guarantee", "--exactly-once"),
            Map.entry("transactionSlots", "--transaction.slots"),
            Map.entry("onSendFailure", "--abort.on.send.failure / --on-send-failure"),
            Map.entry("onGap", "--on-gap"),
            Map.entry("loopPrevention", "--loop-prevention"),
            Map.entry("startFrom", "--start-from"),
            Map.entry("maxBytesPerSecond", "--throttle.bytes.per.sec"),
            Map.entry("transformer", "--message.handler"),
            Map.entry("syncGroupOffsets", "--sync-group-offsets"));

    private final List<String> problems = new ArrayList<>();

    private MirrorConfigurer() {
    }

    /**
     * The mirror the options describe, with {@code listener} attached, and what the start banner shows.
     *
     * @throws UsageException listing every problem found
     */
    static MirrorSetup configure(Arguments arguments, MirrorListener listener) throws UsageException {
        return new MirrorConfigurer().setUp(arguments, listener);
    }

    private MirrorSetup setUp(Arguments a, MirrorListener listener) throws UsageException {
        ConfigFile consumer = load("--consumer.config", a.consumerConfig,
                "the source cluster's consumer properties, e.g. a file with bootstrap.servers=source-host:9092 and group.id=mirrorgroup");
        ConfigFile producer = load("--producer.config", a.producerConfig,
                "the destination cluster's producer properties, e.g. a file with bootstrap.servers=destination-host:9092");
        String fileGroup = consumer == null ? null : consumer.get("group.id");
        checkOptions(a, consumer, fileGroup);
        MirrorBuilder builder = builder(a, listener, fileGroup);
        if (consumer == null || producer == null) {
            // without both files, build() would only repeat that a file is missing, in Java words
            throw new UsageException(problems);
        }
        builder.source(consumer.config()).destination(producer.config());
        Mirror mirror = build(builder, a, consumer, producer);
        if (!problems.isEmpty()) {
            throw new UsageException(problems);
        }
        String group = a.group != null ? a.group : fileGroup != null ? fileGroup : MirrorBuilder.DEFAULT_GROUP_ID;
        String groupOrigin = a.group != null ? "--group" : fileGroup != null ? "group.id in " + consumer.path() : "default";
        EffectiveConfigs configs = builder.effectiveConfigs();
        return new MirrorSetup(mirror, a, consumer, producer, configs, group, groupOrigin);
    }

    /** What only the command line knows: required options, its own ranges, --group against group.id. */
    private void checkOptions(Arguments a, ConfigFile consumer, String fileGroup) {
        if (!hasWhitelist(a)) {
            problems.add("--whitelist REGEX is required: which source topics to mirror, e.g. --whitelist testtopic"
                    + " (--include is the same option)");
        }
        if (a.metricsPort != null && (a.metricsPort < 0 || a.metricsPort > 65_535)) {
            problems.add("--metrics.port must be a port number from 0 (any free port) to 65535, was " + a.metricsPort);
        }
        if (a.offsetCommitIntervalMs <= 0) {
            problems.add("--offset.commit.interval.ms must be positive, was " + a.offsetCommitIntervalMs);
        }
        if (a.shutdownTimeoutMs <= 0) {
            problems.add("--shutdown.timeout.ms must be positive, was " + a.shutdownTimeoutMs);
        }
        if (!LogLevel.isValid(a.logLevel)) {
            problems.add("--log-level must be one of " + String.join(", ", LogLevel.NAMES) + ", was " + a.logLevel);
        }
        if (a.onSendFailure != null && sendFailurePolicy(a.onSendFailure) == null) {
            problems.add("--on-send-failure must be fail, skip or pause-partition, was " + a.onSendFailure);
        }
        if (a.startFrom != null && startPosition(a.startFrom) == null) {
            problems.add("--start-from must be earliest, latest or an ISO-8601 time such as 2026-12-01T08:00:00Z, was "
                    + a.startFrom);
        }
        if (a.throttleBytesPerSec < 0) {
            problems.add("--throttle.bytes.per.sec must be 0 (no limit) or positive, was " + a.throttleBytesPerSec);
        }
        if (gapPolicy(a.onGap) == null) {
            problems.add("--on-gap must be fail or record-and-continue, was " + a.onGap);
        }
        if (a.exactlyOnce && sendFailurePolicy(a) == SendFailurePolicy.SKIP) {
            problems.add((a.onSendFailure == null ? "--abort.on.send.failure=false" : "--on-send-failure skip")
                    + " cannot be combined with --exactly-once: a transaction with a refused record cannot commit;"
                    + " leave out one of them (pause-partition works with --exactly-once)");
        }
        if (groupsDisagree(a, fileGroup)) {
            problems.add("--group " + a.group + " and group.id=" + fileGroup + " in " + consumer.path()
                    + " disagree; they are one setting: give only one of them");
        }
    }

    /** The send-failure policy the options give: --on-send-failure if valid, else --abort.on.send.failure. */
    static SendFailurePolicy sendFailurePolicy(Arguments a) {
        SendFailurePolicy chosen = a.onSendFailure == null ? null : sendFailurePolicy(a.onSendFailure);
        return chosen != null ? chosen : a.abortOnSendFailure ? SendFailurePolicy.FAIL : SendFailurePolicy.SKIP;
    }

    private static SendFailurePolicy sendFailurePolicy(String option) {
        return switch (option.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "fail" -> SendFailurePolicy.FAIL;
            case "skip" -> SendFailurePolicy.SKIP;
            case "pause-partition" -> SendFailurePolicy.PAUSE_PARTITION;
            default -> null;
        };
    }

    /** The start position {@code --start-from} names, or null if it names none. */
    static StartPosition startPosition(String option) {
        String value = option.trim();
        switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "earliest":
                return StartPosition.earliest();
            case "latest":
                return StartPosition.latest();
            default:
                try {
                    return StartPosition.timestamp(OffsetDateTime.parse(value).toInstant());
                } catch (DateTimeParseException e) {
                    return null;
                }
        }
    }

    static GapPolicy gapPolicy(String option) {
        return switch (option.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "fail" -> GapPolicy.FAIL;
            case "record-and-continue" -> GapPolicy.RECORD_AND_CONTINUE;
            default -> null;
        };
    }

    /** The builder with every option the command line gives (the files come last). */
    private MirrorBuilder builder(Arguments a, MirrorListener listener, String fileGroup) {
        MirrorBuilder builder = Mirror.builder()
                .streams(a.numStreams)
                .offsetCommitInterval(Duration.ofMillis(Math.max(1, a.offsetCommitIntervalMs)))
                // --exactly-once with skipping is reported above, in command-line words
                .onSendFailure(a.exactlyOnce && sendFailurePolicy(a) == SendFailurePolicy.SKIP
                        ? SendFailurePolicy.FAIL : sendFailurePolicy(a))
                .onGap(gapPolicy(a.onGap) == null ? GapPolicy.FAIL : gapPolicy(a.onGap))
                .loopPrevention(a.loopPrevention)
                .maxBytesPerSecond(Math.max(0, a.throttleBytesPerSec))
                .listener(listener);
        if (a.startFrom != null && startPosition(a.startFrom) != null) {
            builder.startFrom(startPosition(a.startFrom));
        }
        if (hasWhitelist(a)) {
            TopicFilter topics = TopicFilter.whitelist(a.whitelist);
            builder.topics(a.exclude == null ? topics : topics.exclude(a.exclude));
        }
        if (a.group != null && !groupsDisagree(a, fileGroup)) { // build() would report the disagreement again, in Java words
            builder.groupId(a.group);
        }
        if (a.topicPrefix != null) {
            builder.topicNaming(TopicNaming.prefix(a.topicPrefix));
        }
        if (a.syncGroupOffsets != null) {
            builder.syncGroupOffsets(GroupFilter.include(a.syncGroupOffsets.trim()));
        }
        if (a.exactlyOnce) {
            builder.guarantee(DeliveryGuarantee.EXACTLY_ONCE);
        }
        if (a.transactionSlots != null) {
            builder.transactionSlots(a.transactionSlots);
        }
        handler(a, builder);
        return builder;
    }

    /** The mirror, or null with build()'s problems added in command-line words. */
    private Mirror build(MirrorBuilder builder, Arguments a, ConfigFile consumer, ConfigFile producer) {
        try {
            return builder.build();
        } catch (MirrorConfigException e) {
            for (ConfigProblem problem : e.configProblems()) {
                boolean reportedAbove = problem.setting().equals("topics") && !hasWhitelist(a);
                if (!reportedAbove) {
                    problems.add(translate(problem, a, consumer, producer));
                }
            }
            return null;
        }
    }

    private static boolean hasWhitelist(Arguments a) {
        return a.whitelist != null && !a.whitelist.isBlank();
    }

    private static boolean groupsDisagree(Arguments a, String fileGroup) {
        return a.group != null && fileGroup != null && !a.group.equals(fileGroup);
    }

    private ConfigFile load(String option, Path path, String what) {
        if (path == null) {
            problems.add(option + " FILE is required: " + what);
            return null;
        }
        try {
            return ConfigFile.load(option, path);
        } catch (UsageException e) {
            problems.addAll(e.problems());
            return null;
        }
    }

    private void handler(Arguments a, MirrorBuilder builder) {
        if (a.messageHandler == null) {
            if (a.messageHandlerArgs != null) {
                problems.add("--message.handler.args is given without --message.handler CLASS; give the handler class too");
            }
            return;
        }
        try {
            builder.transformer(MessageHandlerLoader.load(a.messageHandler, a.messageHandlerArgs));
        } catch (UsageException e) {
            problems.addAll(e.problems());
        }
    }

    /**
     * A problem of build() (or of the mirror's start) in command-line words: the option or file its
     * setting comes from, its message, and a fix in command-line words where the mirror's is in Java's,
     * with a line to copy where one helps.
     */
    static String translate(ConfigProblem problem, Arguments a, ConfigFile consumer, ConfigFile producer) {
        String setting = problem.setting();
        boolean loopOntoItself = setting.equals("topicNaming") && a.topicPrefix == null;
        String where = switch (setting) {
            case "source" -> consumer.name();
            case "destination" -> producer.name();
            case "topicNaming" -> loopOntoItself ? producer.name() : "--topic-prefix " + a.topicPrefix;
            default -> OPTION_OF_SETTING.getOrDefault(setting, setting);
        };
        String fix = loopOntoItself ? "use another destination cluster or --topic-prefix PREFIX" : problem.fix();
        String text = (where.isEmpty() ? "" : where + ": ") + problem.message() + (fix.isEmpty() ? "" : "; " + fix);
        boolean bootstrapServers = BOOTSTRAP_SERVERS.equals(problem.key());
        if (setting.equals("source") && bootstrapServers && !consumer.has(BOOTSTRAP_SERVERS) && consumer.has(ZOOKEEPER_CONNECT)) {
            text += ". For example, with the brokers on the ZooKeeper hosts at Kafka's default port, add this line to "
                    + consumer.path() + ":\n    " + BOOTSTRAP_SERVERS + "=" + brokersGuess(consumer.get(ZOOKEEPER_CONNECT));
        }
        if (setting.equals("destination") && bootstrapServers && !producer.has(BOOTSTRAP_SERVERS)
                && producer.has(METADATA_BROKER_LIST)) {
            text += ". " + METADATA_BROKER_LIST + " is the old producer's name for it; in " + producer.path()
                    + " write:\n    " + BOOTSTRAP_SERVERS + "=" + producer.get(METADATA_BROKER_LIST).trim();
        }
        return text;
    }

    /** {@code zk1:2181,zk2:2181/kafka} gives {@code zk1:9092,zk2:9092}. */
    static String brokersGuess(String zookeeperConnect) {
        String hosts = zookeeperConnect.trim();
        if (hosts.contains("/")) {
            hosts = hosts.substring(0, hosts.indexOf('/'));
        }
        return Arrays.stream(hosts.split(","))
                .map(String::trim)
                .filter(h -> !h.isEmpty())
                .map(h -> (h.lastIndexOf(':') > 0 ? h.substring(0, h.lastIndexOf(':')) : h) + ":9092")
                .collect(Collectors.joining(","));
    }
}
