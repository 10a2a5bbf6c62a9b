package io.kmirror.internal;

import io.kmirror.ConfigProblem;
import io.kmirror.DeliveryGuarantee;
import io.kmirror.MirrorBuilder;
import io.kmirror.MirrorConfigException;
import io.kmirror.SendFailurePolicy;
import io.kmirror.TopicFilter;
import io.kmirror.TopicNaming;
import io.kmirror.internal.filter.InternalTopics;
import io.kmirror.internal.filter.RegexGroupFilter;
import io.kmirror.internal.filter.RegexTopicFilter;
import io.kmirror.internal.stream.InitialPosition;
import io.kmirror.internal.stream.TransactionSlots;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import javax.annotation.Nullable;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Checks a builder's settings and collects every problem, one line each, naming the key and the fix. */
public final class SettingsValidator {

    private final List<ConfigProblem> problems = new ArrayList<>();

    private SettingsValidator() {
    }

    /**
     * The settings with the group id resolved, if they are valid.
     *
     * @throws MirrorConfigException listing every problem
     */
    public static MirrorSettings validate(MirrorSettings settings) {
        return new SettingsValidator().check(settings);
    }

    private MirrorSettings check(MirrorSettings settings) {
        Map<String, Object> source = settings.sourceConfig();
        Map<String, Object> destination = settings.destinationConfig();
        checkSource(source);
        checkDestination(destination);
        String group = checkGroup(source, settings.groupId());
        checkTopics(settings.topics());
        if (settings.streams() < 1) {
            problems.add(ConfigProblem.of("streams", settings.streams(), "must be at least 1, was " + settings.streams(),
                    "each stream is one consumer thread"));
        }
        checkPositive("topicRefreshInterval", settings.topicRefreshInterval());
        checkPositive("offsetCommitInterval", settings.offsetCommitInterval());
        checkPositive("groupSyncInterval", settings.groupSyncInterval());
        if (settings.syncGroups() != null) {
            if (settings.syncGroups() instanceof RegexGroupFilter regexes) {
                problems.addAll(regexes.problems());
            }
            if (!settings.offsetTranslation()) {
                problems.add(ConfigProblem.of("syncGroupOffsets", settings.syncGroups(), "needs the offset map, but"
                        + " offsetTranslation is false", "remove offsetTranslation(false) or syncGroupOffsets"));
            }
        }
        OptionalInt replicationFactor = settings.destinationReplicationFactor();
        if (replicationFactor.isPresent()
                && (replicationFactor.getAsInt() < 1 || replicationFactor.getAsInt() > Short.MAX_VALUE)) {
            problems.add(ConfigProblem.of("destinationReplicationFactor", replicationFactor.getAsInt(),
                    "must be at least 1, was " + replicationFactor.getAsInt(),
                    "leave it unset to use the destination broker's default"));
        }
        if (settings.guarantee() == DeliveryGuarantee.EXACTLY_ONCE) {
            checkExactlyOnce(settings);
        } else if (settings.transactionSlots() != 0) {
            problems.add(ConfigProblem.of("transactionSlots", settings.transactionSlots(), "applies to EXACTLY_ONCE only (an"
                    + " at-least-once stream has one producer already)", "remove transactionSlots or use EXACTLY_ONCE"));
        }
        checkNaming(settings.topicNaming());
        checkFlow(settings);
        if (settings.topicNaming().isIdentity() && source != null && destination != null) {
            List<String> from = servers(source);
            if (!from.isEmpty() && from.equals(servers(destination))) {
                problems.add(loopOntoItself("bootstrap.servers " + String.join(",", from)));
            }
        }
        if (!problems.isEmpty()) {
            throw new MirrorConfigException(problems);
        }
        return settings.withGroupId(group);
    }

    private void checkTransactionSlots(MirrorSettings settings) {
        int slots = settings.transactionSlots();
        if (slots == 0) {
            return;
        }
        if (slots < 0 || slots > TransactionSlots.MAX) {
            problems.add(ConfigProblem.of("transactionSlots", slots, "must be 0 (a producer per source partition) or 1 to "
                    + TransactionSlots.MAX + ", was " + slots, ""));
        }
        Map<String, Object> source = settings.sourceConfig();
        Object protocol = source == null ? null : source.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
        if (protocol != null && !"classic".equalsIgnoreCase(protocol.toString().trim())) {
            problems.add(ConfigProblem.of("transactionSlots", slots, "needs the classic consumer group protocol (kmirror's"
                    + " assignor gives each member whole slots), but the source config sets group.protocol=" + protocol,
                    "remove group.protocol, or transactionSlots"));
        }
        if (source != null && source.containsKey(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG)) {
            problems.add(ConfigProblem.of("transactionSlots", slots, "needs kmirror's own assignor (it gives each member whole"
                    + " slots), but the source config sets partition.assignment.strategy", "remove partition.assignment.strategy,"
                    + " or transactionSlots"));
        }
    }

    private void checkExactlyOnce(MirrorSettings settings) {
        checkPositive("transactionCommitInterval", settings.transactionCommitInterval());
        if (settings.maxTransactionRecords() < 1) {
            problems.add(ConfigProblem.of("maxTransactionRecords", settings.maxTransactionRecords(),
                    "must be at least 1, was " + settings.maxTransactionRecords(), ""));
        }
        if (settings.maxOpenTransactions() < 0 || settings.maxOpenTransactions() > 0 && settings.maxOpenTransactions() < settings.streams()) {
            problems.add(ConfigProblem.of("maxOpenTransactions", settings.maxOpenTransactions(),
                    "must be 0 (as many as half the heap holds) or at least streams (" + settings.streams() + "): each stream"
                            + " needs a producer of its own, was " + settings.maxOpenTransactions(), ""));
        }
        checkTransactionSlots(settings);
        if (settings.sendFailurePolicy() == SendFailurePolicy.SKIP) {
            problems.add(ConfigProblem.of("onSendFailure", SendFailurePolicy.SKIP, "SKIP cannot be combined with"
                    + " EXACTLY_ONCE (a transaction with a refused record cannot commit)",
                    "use SendFailurePolicy.FAIL or AT_LEAST_ONCE"));
        }
        Map<String, Object> destination = settings.destinationConfig();
        if (destination == null) {
            return;
        }
        Object idempotence = destination.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG);
        if (idempotence != null && !Boolean.parseBoolean(idempotence.toString().trim())) {
            problems.add(new ConfigProblem("destination", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, idempotence.toString(),
                    "'enable.idempotence=false' cannot be combined with EXACTLY_ONCE, which needs an idempotent"
                            + " transactional producer", "remove the key"));
        }
        Object acks = destination.get(ProducerConfig.ACKS_CONFIG);
        if (acks != null && !acks.toString().trim().equals("all") && !acks.toString().trim().equals("-1")) {
            problems.add(new ConfigProblem("destination", ProducerConfig.ACKS_CONFIG, acks.toString(),
                    "'acks=" + acks + "' cannot be combined with EXACTLY_ONCE, which needs acks=all",
                    "remove the key or set acks=all"));
        }
        checkTransactionTimeout(destination, settings.transactionCommitInterval());
    }

    /**
     * A transaction stays open for the commit interval and then commits; the destination's coordinator aborts one
     * older than {@code transaction.timeout.ms}, so a timeout within a few intervals would abort them for good.
     */
    private void checkTransactionTimeout(Map<String, Object> destination, @Nullable Duration commitInterval) {
        String key = ProducerConfig.TRANSACTION_TIMEOUT_CONFIG;
        Object timeout = destination.get(key);
        if (timeout == null
                || !checkMillis(destination, key, "it is how long the destination lets a transaction stay open (default 60000)")) {
            return;
        }
        long timeoutMs = Long.parseLong(timeout.toString().trim());
        if (commitInterval != null && !commitInterval.isNegative() && timeoutMs < 3 * commitInterval.toMillis()) {
            problems.add(new ConfigProblem("destination", key, timeout.toString(),
                    "'" + key + "=" + timeout + "' is less than three times transactionCommitInterval (" + commitInterval.toMillis()
                            + " ms): a transaction stays open for an interval and then commits, and the destination aborts one"
                            + " older than " + key,
                    "raise " + key + " (the producer's default is 60000) or shorten transactionCommitInterval"));
        }
    }

    private void checkFlow(MirrorSettings settings) {
        if (settings.maxBytesPerSecond() < 0) {
            problems.add(ConfigProblem.of("maxBytesPerSecond", settings.maxBytesPerSecond(),
                    "must be 0 (no limit) or positive, was " + settings.maxBytesPerSecond(), "use 0 for no limit"));
        }
        Object autoOffsetReset = settings.sourceConfig() == null ? null
                : settings.sourceConfig().get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG);
        if (settings.startFrom() != null && autoOffsetReset != null) {
            problems.add(ConfigProblem.of("startFrom", settings.startFrom(), "both startFrom(" + settings.startFrom()
                    + ") and the source's auto.offset.reset=" + autoOffsetReset + " say where a partition without offsets"
                    + " starts", "keep one of them (startFrom is the builder's name for the same setting)"));
        }
    }

    private void checkNaming(TopicNaming naming) {
        if (naming instanceof TopicNaming.PrefixNaming prefix) {
            String p = prefix.prefix();
            if (p.startsWith(InternalTopics.INTERNAL_PREFIX)) {
                problems.add(ConfigProblem.of("topicNaming", p, "the prefix '" + p + "' gives every destination topic a"
                        + " name starting with '__', which Kafka reserves for internal topics", "choose another prefix"));
            }
            String illegal = p.replaceAll("[a-zA-Z0-9._-]", "");
            if (!illegal.isEmpty()) {
                problems.add(ConfigProblem.of("topicNaming", p, "the prefix '" + p + "' contains '" + illegal.charAt(0)
                        + "', which Kafka does not allow in topic names",
                        "choose a prefix of letters, digits, '.', '_' and '-'"));
            }
        }
    }

    private void checkSource(Map<String, Object> source) {
        if (source == null) {
            problems.add(ConfigProblem.of("source", null, "not set",
                    "call source(Map.of(\"bootstrap.servers\", \"host:9092\")) with the source cluster's consumer configuration"));
            return;
        }
        if (isBlank(source.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG))) {
            if (source.containsKey("zookeeper.connect")) {
                problems.add(new ConfigProblem("source", CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, null,
                        "'zookeeper.connect' is set but 'bootstrap.servers' is not", "ZooKeeper-based consumers are gone"
                        + " from Kafka (current clients talk to the brokers): add bootstrap.servers=<source broker host:port>"
                        + " and remove zookeeper.connect"));
            } else {
                problems.add(new ConfigProblem("source", CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, null,
                        "'bootstrap.servers' is missing", "add the source cluster's brokers, e.g. bootstrap.servers=host:9092"));
            }
        }
        checkClass(source, ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class, "source");
        checkClass(source, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class, "source");
        Object autoOffsetReset = source.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG);
        try {
            InitialPosition.of(autoOffsetReset);
        } catch (IllegalArgumentException e) {
            String[] messageAndFix = e.getMessage().split("; ", 2);
            problems.add(new ConfigProblem("source", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, String.valueOf(autoOffsetReset),
                    messageAndFix[0], messageAndFix.length > 1 ? messageAndFix[1] : ""));
        }
        Object autoCommit = source.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);
        if (autoCommit != null && Boolean.parseBoolean(autoCommit.toString().trim())) {
            problems.add(new ConfigProblem("source", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, autoCommit.toString(),
                    "'enable.auto.commit=true' would commit offsets before the destination acknowledged the records"
                            + " (records lost on a crash)",
                    "remove it: the mirror commits only what the destination acknowledged"));
        }
    }

    private void checkDestination(Map<String, Object> destination) {
        if (destination == null) {
            problems.add(ConfigProblem.of("destination", null, "not set", "call destination(Map.of(\"bootstrap.servers\","
                    + " \"host:9092\")) with the destination cluster's producer configuration"));
            return;
        }
        if (isBlank(destination.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG))) {
            problems.add(new ConfigProblem("destination", CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, null,
                    "'bootstrap.servers' is missing", "add the destination cluster's brokers, e.g. bootstrap.servers=host:9092"));
        }
        checkClass(destination, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class, "destination");
        checkClass(destination, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class, "destination");
        checkMillis(destination, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                "it bounds how long the mirror waits for the destination before it gives up (default 120000)");
        if (destination.containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG)) {
            problems.add(new ConfigProblem("destination", ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                    destination.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG).toString(), "'transactional.id' is set",
                    "remove it: kmirror manages the producer's transactions itself"));
        }
    }

    /** Whether the destination's {@code key}, if set, is a number of milliseconds; a problem naming it, with {@code fix}, if not. */
    private boolean checkMillis(Map<String, Object> destination, String key, String fix) {
        Object value = destination.get(key);
        if (value == null || value.toString().trim().matches("\\d{1,18}")) {
            return true;
        }
        problems.add(new ConfigProblem("destination", key, value.toString(),
                "'" + key + "=" + value + "' is not a number of milliseconds", fix));
        return false;
    }

    private String checkGroup(Map<String, Object> source, String groupId) {
        Object fromMap = source == null ? null : source.get(ConsumerConfig.GROUP_ID_CONFIG);
        String fromConfig = fromMap == null ? null : fromMap.toString();
        if (groupId != null && fromConfig != null && !groupId.equals(fromConfig)) {
            problems.add(ConfigProblem.of("groupId", groupId, "groupId(\"" + groupId + "\") and the source's group.id="
                    + fromConfig + " disagree", "they are one setting: remove one of them"));
        }
        String group = groupId != null ? groupId : fromConfig != null ? fromConfig : MirrorBuilder.DEFAULT_GROUP_ID;
        if (group.isBlank()) {
            problems.add(ConfigProblem.of("groupId", group, "must not be blank",
                    "the mirror commits its progress to this source consumer group"));
        }
        return group;
    }

    private void checkTopics(TopicFilter topics) {
        if (topics == null) {
            problems.add(ConfigProblem.of("topics", null, "no topic filter",
                    "call topics(TopicFilter.include(\"regex\")) to say which source topics to mirror"));
        } else if (topics instanceof RegexTopicFilter regex) {
            problems.addAll(regex.problems());
        }
    }

    /**
     * Checks a filter given to a running mirror.
     *
     * @throws MirrorConfigException naming what is wrong with it
     */
    public static void checkFilter(TopicFilter filter) {
        SettingsValidator validator = new SettingsValidator();
        validator.checkTopics(filter);
        if (!validator.problems.isEmpty()) {
            throw new MirrorConfigException(validator.problems);
        }
    }

    private void checkPositive(String name, Duration value) {
        if (value.isZero() || value.isNegative()) {
            problems.add(ConfigProblem.of(name, value, "must be positive, was " + value, ""));
        }
    }

    private void checkClass(Map<String, Object> config, String key, Class<?> required, String side) {
        Object value = config.get(key);
        if (value == null) {
            return;
        }
        String name = value instanceof Class<?> c ? c.getName() : value.toString().trim();
        if (!name.equals(required.getName())) {
            problems.add(new ConfigProblem(side, key, name, "'" + key + "=" + name + "' is not supported",
                    "records pass through as bytes: remove the key (or set it to " + required.getName() + ")"));
        }
    }

    private static boolean isBlank(Object value) {
        if (value instanceof Collection<?> c) {
            return c.isEmpty();
        }
        return value == null || value.toString().isBlank();
    }

    /**
     * Source and destination being one cluster while destination topics keep their source names: an
     * endless loop. {@code cluster} says how the cluster was recognized, e.g. {@code cluster id abc}.
     */
    public static ConfigProblem loopOntoItself(String cluster) {
        return ConfigProblem.of("topicNaming", "identity()", "source and destination are the same cluster (" + cluster
                + ") and destination topics get the source topics' names: every record would be mirrored onto itself in an"
                + " endless loop",
                "use another destination or topicNaming(TopicNaming.prefix(\"...\")); mirroring between two clusters both"
                        + " ways with the same names is fine as long as loopPrevention stays on (the default)");
    }

    private static List<String> servers(Map<String, Object> config) {
        Object value = config.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        if (value == null) {
            return List.of();
        }
        String joined = value instanceof Collection<?> c
                ? c.stream().map(Object::toString).collect(Collectors.joining(","))
                : value.toString();
        return Arrays.stream(joined.split(","))
                .map(s -> s.trim().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty())
                .sorted()
                .distinct()
                .collect(Collectors.toList());
    }
}
