package io.kmirror.cli;

import io.kmirror.GroupOffset;
import io.kmirror.MirrorBuilder;
import io.kmirror.OffsetTranslator;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupNotEmptyException;

/**
 * {@code java -jar kmirror.jar offsets}: prints a consumer group's failover plan (its source positions
 * translated through the mirror's offset map, {@link OffsetTranslator#translateGroup}) and, with
 * {@code --apply}, commits it on the destination ({@link OffsetTranslator#applyGroup}), which refuses a
 * group with active members there. Exit codes: 0 done, 1 not done (a cluster error, a refusal, partitions
 * not yet mirrored), 2 bad input.
 */
final class OffsetsCommand {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final String HELP = "'java -jar kmirror.jar offsets --help' lists its options.";

    private final PrintStream out;
    private final PrintStream err;

    OffsetsCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /**
     * Runs {@code offsets} with its parsed options.
     *
     * @return the exit code
     */
    int run(OffsetsArguments arguments) {
        if (arguments.help) {
            out.print(CommandLineParser.offsetsUsage());
            return ExitCode.OK;
        }
        Setup setup;
        try {
            setup = Setup.check(arguments);
        } catch (UsageException e) {
            err.println(e.render("Nothing was read or changed. " + HELP));
            return ExitCode.BAD_INPUT;
        }
        Admin sourceAdmin = null;
        try (OffsetTranslator translator = OffsetTranslator.create(setup.producer().config(), setup.mirrorGroup())) {
            sourceAdmin = Admin.create(setup.sourceAdminConfig());
            return run(setup, sourceAdmin, translator);
        } catch (GroupNotEmptyException e) {
            err.println("kmirror offsets: --apply refused: " + e.getMessage());
            return ExitCode.OFFSETS_NOT_DONE;
        } catch (KafkaException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            err.println("kmirror offsets: " + message + (message.contains("timed out") ? " (check that bootstrap.servers and"
                    + " the security settings in " + setup.consumer().name() + " and " + setup.producer().name()
                    + " reach the clusters)" : "") + "; nothing was changed on the destination");
            return ExitCode.OFFSETS_NOT_DONE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("kmirror offsets: interrupted");
            return ExitCode.OFFSETS_NOT_DONE;
        } finally {
            if (sourceAdmin != null) {
                sourceAdmin.close(CLOSE_TIMEOUT); // requests that timed out must not hold the exit
            }
        }
    }

    private int run(Setup setup, Admin sourceAdmin, OffsetTranslator translator) throws InterruptedException {
        String group = setup.group();
        List<GroupOffset> plan = translator.translateGroup(sourceAdmin, group);
        if (plan.isEmpty()) {
            err.println("kmirror offsets: group " + group + " has no committed offsets on the source (" + setup.consumer().name()
                    + "); check the group's name, e.g. with kafka-consumer-groups.sh --list");
            return ExitCode.OFFSETS_NOT_DONE;
        }
        out.println("Group " + group + ", translated through the offset map of mirror group " + setup.mirrorGroup() + " ("
                + setup.mirrorGroupOrigin() + "):");
        out.print(OffsetsTable.render(plan));
        List<String> notYet = new ArrayList<>();
        int ahead = 0;
        for (GroupOffset line : plan) {
            if (line.destinationPosition().isEmpty()) {
                notYet.add(OffsetsTable.name(line.source()));
            } else if (!line.movesForward()) {
                ahead++;
            }
        }
        if (notYet.size() == plan.size() && translator.sourcePartitions().isEmpty()) {
            out.println("The destination holds no offset map of mirror group " + setup.mirrorGroup() + ": check that it is the"
                    + " mirror's group (--mirror-group, or group.id in " + setup.consumer().name() + ") and that the mirror"
                    + " has committed since it started.");
        }
        if (!setup.arguments().apply) {
            out.println(plan.size() + " partition(s): " + (plan.size() - notYet.size()) + " translated, " + notYet.size()
                    + " not yet mirrored" + (ahead == 0 ? "" : ", " + ahead + " already there or further on the destination")
                    + ".\nNothing was changed; --apply commits the translated positions for group " + group
                    + " on the destination.");
            return ExitCode.OK;
        }
        Map<TopicPartition, OffsetAndMetadata> applied = translator.applyGroup(group, plan);
        if (applied.isEmpty()) {
            out.println("Nothing to move: group " + group + " is already at or past every translated position on the"
                    + " destination (a group is never moved back).");
        } else {
            out.println("Applied: group " + group + " continues on the destination at the translated position of "
                    + applied.size() + " partition(s)" + (ahead == 0 ? "" : "; " + ahead
                    + " already there or further were left as they are (a group is never moved back)") + ".");
        }
        if (!notYet.isEmpty()) {
            err.println("kmirror offsets: " + notYet.size() + " partition(s) not yet mirrored were left as they are: "
                    + String.join(", ", notYet) + "; run again once the mirror has copied them");
            return ExitCode.OFFSETS_NOT_DONE;
        }
        return ExitCode.OK;
    }

    /**
     * The checked options: both files read, each with {@code bootstrap.servers}, the group to move and the
     * mirror's group known and different.
     */
    record Setup(OffsetsArguments arguments, ConfigFile consumer, ConfigFile producer, String group, String mirrorGroup,
            String mirrorGroupOrigin) {

        static Setup check(OffsetsArguments a) throws UsageException {
            List<String> problems = new ArrayList<>();
            ConfigFile consumer = load("--consumer.config", a.consumerConfig, "source", problems);
            ConfigFile producer = load("--producer.config", a.producerConfig, "destination", problems);
            if (a.group == null || a.group.isBlank()) {
                problems.add("--group GROUP is required: the consumer group to move to the destination, e.g. --group orders-app");
            }
            String fileGroup = consumer == null || !consumer.has("group.id") ? null : consumer.get("group.id").trim();
            String mirrorGroup = a.mirrorGroup != null ? a.mirrorGroup : fileGroup != null ? fileGroup : MirrorBuilder.DEFAULT_GROUP_ID;
            String origin = a.mirrorGroup != null ? "--mirror-group" : fileGroup != null ? "group.id in " + consumer.path()
                    : "the default";
            if (a.group != null && a.group.equals(mirrorGroup)) {
                problems.add("--group " + a.group + " is the mirror's own group (" + origin + "), whose offsets are the"
                        + " mirror's; name the application's group to move, and the mirror's with --mirror-group if it"
                        + " differs from group.id in --consumer.config");
            }
            if (!problems.isEmpty()) {
                throw new UsageException(problems);
            }
            return new Setup(a, consumer, producer, a.group, mirrorGroup, origin);
        }

        private static ConfigFile load(String option, Path path, String side, List<String> problems) {
            if (path == null) {
                problems.add(option + " FILE is required: the mirror's " + (side.equals("source")
                        ? "consumer properties of the source cluster" : "producer properties of the destination cluster")
                        + ", with bootstrap.servers");
                return null;
            }
            ConfigFile file;
            try {
                file = ConfigFile.load(option, path);
            } catch (UsageException e) {
                problems.addAll(e.problems());
                return null;
            }
            if (!file.has(MirrorConfigurer.BOOTSTRAP_SERVERS)) {
                String example = file.has(MirrorConfigurer.ZOOKEEPER_CONNECT)
                        ? MirrorConfigurer.brokersGuess(file.get(MirrorConfigurer.ZOOKEEPER_CONNECT))
                        : side + "-host:9092";
                problems.add(file.name() + ": 'bootstrap.servers' is missing"
                        + (file.has(MirrorConfigurer.ZOOKEEPER_CONNECT) ? " (Kafka's clients no longer use zookeeper.connect)" : "")
                        + "; add the " + side + " cluster's brokers, e.g.:\n    bootstrap.servers=" + example);
                return null;
            }
            return file;
        }

        /** The source Admin's settings: the consumer file's keys an Admin knows (connection, security). */
        Map<String, Object> sourceAdminConfig() {
            Set<String> adminKeys = AdminClientConfig.configNames();
            Map<String, Object> config = new HashMap<>();
            consumer.config().forEach((key, value) -> {
                if (adminKeys.contains(key)) {
                    config.put(key, value);
                }
            });
            config.put(AdminClientConfig.CLIENT_ID_CONFIG, "kmirror-offsets");
            return config;
        }
    }
}
