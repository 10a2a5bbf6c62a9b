package io.kmirror;

import io.kmirror.ClientFactories.AdminFactory;
import io.kmirror.ClientFactories.ConsumerFactory;
import io.kmirror.ClientFactories.ProducerFactory;
import io.kmirror.internal.MirrorRuntime;
import io.kmirror.internal.MirrorSettings;
import io.kmirror.internal.SettingsValidator;
import io.kmirror.internal.config.ClientConfigs;
import io.kmirror.internal.config.ConfigMasking;
import io.kmirror.internal.config.LayeredConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.StringJoiner;
import org.apache.kafka.common.metrics.Sensor.RecordingLevel;

/**
 * Configures a {@link Mirror}. Obtain one with {@link Mirror#builder()}; every setter returns this
 * builder. {@link #build()} checks everything at once and throws a {@link MirrorConfigException}
 * listing every problem, so nothing starts half-way. A null argument is a programming error and
 * throws {@link NullPointerException} at once.
 *
 * <p>Not thread-safe; a builder may build several mirrors.
 */
public final class MirrorBuilder {

    /** The group id used when neither {@link #groupId} nor a {@code group.id} source key is given. */
    public static final String DEFAULT_GROUP_ID = "kmirror";
    /**
     * The default {@link #streams}: one, as MirrorMaker's {@code --num.streams}. On the benchmark one
     * stream had the most records/s per CPU second and, with kmirror's consumer defaults, a p99
     * replication latency of 20-45 ms at 20,000 records/s; more streams pay off with more cores.
     */
    public static final int DEFAULT_STREAMS = 1;
    /** The default {@link #offsetCommitInterval}. */
    public static final Duration DEFAULT_OFFSET_COMMIT_INTERVAL = Duration.ofSeconds(5);
    /**
     * Topic configs never copied to the destination unless the user syncs them by hand: what must stay
     * local to a cluster. A key ending in {@code *} stands for every key with that prefix.
     */
    public static final Set<String> DEFAULT_EXCLUDED_CONFIGS = Set.of(
            "min.insync.replicas",
            "leader.replication.throttled.replicas",
            "follower.replication.throttled.replicas",
            "unclean.leader.election.enable",
            "message.timestamp.*");
    /** The default {@link #transactionCommitInterval}. */
    public static final Duration DEFAULT_TRANSACTION_COMMIT_INTERVAL = Duration.ofMillis(100);
    /** The default {@link #maxTransactionRecords}. */
    public static final int DEFAULT_MAX_TRANSACTION_RECORDS = 10_000;
    /** The default {@link #groupSyncInterval}. */
    public static final Duration DEFAULT_GROUP_SYNC_INTERVAL = Duration.ofSeconds(1);
    /** The default {@link #topicRefreshInterval}. */
    public static final Duration DEFAULT_TOPIC_REFRESH_INTERVAL = Duration.ofSeconds(30);

    private Map<String, Object> source;
    private Map<String, Object> destination;
    private TopicFilter topics;
    private String groupId;
    private Integer streams;
    private TopicNaming topicNaming;
    private Partitioning partitioning;
    private DeliveryGuarantee guarantee;
    private Duration topicRefreshInterval;
    private Duration offsetCommitInterval;
    private Duration transactionCommitInterval;
    private Integer maxTransactionRecords;
    private Integer maxOpenTransactions;
    private Integer transactionSlots;
    private Integer destinationReplicationFactor;
    private RecordTransformer transformer;
    private SendFailurePolicy sendFailurePolicy;
    private GapPolicy gapPolicy;
    private Boolean syncTopicConfigs;
    private Boolean syncConfigsOfExistingTopics;
    private Boolean loopPrevention;
    private StartPosition startFrom;
    private Long maxBytesPerSecond;
    private Boolean syncAcls;
    private GroupFilter syncGroups;
    private Boolean offsetTranslation;
    private Duration groupSyncInterval;
    private final Set<String> excludedConfigs = new TreeSet<>();
    private TopicErrorPolicy topicErrorPolicy;
    private MirrorListener listener;
    private ConsumerFactory consumerFactory;
    private ProducerFactory producerFactory;
    private AdminFactory adminFactory;
    private RecordingLevel metricsRecordingLevel;

    MirrorBuilder() {
    }

    /**
     * The source cluster's consumer configuration; must hold {@code bootstrap.servers}. Any consumer
     * key is honoured (security, fetch sizes, ...), except what the mirror must own: deserializers
     * are byte arrays and offsets are committed by the mirror, never automatically.
     */
    public MirrorBuilder source(Map<String, ?> consumerConfig) {
        this.source = copy(consumerConfig, "consumerConfig");
        return this;
    }

    /**
     * The destination cluster's producer configuration; must hold {@code bootstrap.servers}. Any
     * producer key is honoured and wins over kmirror's defaults ({@code acks=all}, idempotence on),
     * except the serializers, which are byte arrays.
     */
    public MirrorBuilder destination(Map<String, ?> producerConfig) {
        this.destination = copy(producerConfig, "producerConfig");
        return this;
    }

    /** Which source topics are mirrored. Required. */
    public MirrorBuilder topics(TopicFilter filter) {
        this.topics = Objects.requireNonNull(filter, "filter");
        return this;
    }

    /**
     * The source consumer group the mirror's streams join and commit to; default {@value #DEFAULT_GROUP_ID}.
     * The same setting as {@code group.id} in the source map: either may be used, two different
     * values are a configuration error. Mirrors in several processes with the same group share the
     * partitions.
     */
    public MirrorBuilder groupId(String groupId) {
        this.groupId = Objects.requireNonNull(groupId, "groupId");
        return this;
    }

    /**
     * Streams, each a consumer thread with its own destination producer, all in the mirror's group
     * (MirrorMaker's {@code --num.streams}); at least 1, default {@value #DEFAULT_STREAMS}. A stream
     * without partitions (more streams than source partitions) only idles.
     */
    public MirrorBuilder streams(int streams) {
        this.streams = streams;
        return this;
    }

    /** How destination topics are named; default {@link TopicNaming#identity()}. */
    public MirrorBuilder topicNaming(TopicNaming naming) {
        this.topicNaming = Objects.requireNonNull(naming, "naming");
        return this;
    }

    /** How destination partitions are chosen; default {@link Partitioning#PRESERVE}. */
    public MirrorBuilder partitioning(Partitioning partitioning) {
        this.partitioning = Objects.requireNonNull(partitioning, "partitioning");
        return this;
    }

    /** The delivery guarantee; default {@link DeliveryGuarantee#AT_LEAST_ONCE}. */
    public MirrorBuilder guarantee(DeliveryGuarantee guarantee) {
        this.guarantee = Objects.requireNonNull(guarantee, "guarantee");
        return this;
    }

    /** How often new matching topics are looked for at the source; default 30 s. */
    public MirrorBuilder topicRefreshInterval(Duration interval) {
        this.topicRefreshInterval = Objects.requireNonNull(interval, "interval");
        return this;
    }

    /**
     * How often acknowledged offsets are committed to the source group; default 5 s. Offsets are also
     * committed when partitions are revoked, on close, and at once while {@link Mirror#awaitCaughtUp}
     * waits. A shorter interval means fewer duplicates after a crash.
     */
    public MirrorBuilder offsetCommitInterval(Duration interval) {
        this.offsetCommitInterval = Objects.requireNonNull(interval, "interval");
        return this;
    }

    /**
     * With {@link DeliveryGuarantee#EXACTLY_ONCE}: how often each partition's transaction is committed,
     * which is how long records wait before {@code read_committed} readers see them; default 100 ms. While the
     * records waiting at the source for a transaction's partitions would fill it (catching up after an outage), the
     * transaction stays open until it is full, or for 3 s if that is longer than the interval: fewer, larger
     * commits drain a backlog faster. Full, then, is {@link #maxTransactionRecords} or 64 records for each
     * partition of the transaction's slot, whichever is more. No transaction is held open longer than a third of the
     * destination producer's {@code transaction.timeout.ms} (default 60 s), after which the destination would abort
     * it; {@link #build()} rejects a {@code transaction.timeout.ms} below three intervals.
     */
    public MirrorBuilder transactionCommitInterval(Duration interval) {
        this.transactionCommitInterval = Objects.requireNonNull(interval, "interval");
        return this;
    }

    /**
     * With {@link DeliveryGuarantee#EXACTLY_ONCE}: a partition's transaction is committed early once it
     * holds this many records; default {@value #DEFAULT_MAX_TRANSACTION_RECORDS}. While the mirror catches up
     * (see {@link #transactionCommitInterval}), at this many or 64 for each partition of its slot, whichever is more.
     */
    public MirrorBuilder maxTransactionRecords(int records) {
        this.maxTransactionRecords = records;
        return this;
    }

    /**
     * With {@link DeliveryGuarantee#EXACTLY_ONCE}: at most this many of this process's source partitions have
     * their two transactional producers (a network thread and buffers each) open at once, at least one per stream;
     * the others wait, paused, and take turns: while others wait, a partition gives its producer up, committed,
     * once it has read to its end or had no records for a second. Default 0: as many as fit in half the heap
     * (about 4.2 MiB a partition for a topic of 2,000 partitions, 2.6 MiB for one of 10, with the default
     * {@code buffer.memory}; see the README), so a small heap slows a mirror of many partitions down instead of
     * running it out of memory.
     */
    public MirrorBuilder maxOpenTransactions(int producers) {
        this.maxOpenTransactions = producers;
        return this;
    }

    /**
     * With {@link DeliveryGuarantee#EXACTLY_ONCE}: write through {@code slots} transactional producers for the
     * whole mirror group instead of one per source partition. Each source partition belongs to one slot (by
     * its topic and number); the group's members are given whole slots (kmirror's own assignor), so a slot's
     * producer ({@code transactional.id} {@code kmirror-<group>-<source cluster id>~slot-<n>-of-<slots>}) fences
     * the slot's previous owner as a partition's does, one commit covers all of a slot's partitions, and a
     * process opens at most two producers per slot it owns (taking turns), whatever the partition count. For thousands of
     * partitions; 16 or 32 suit a few processes (more slots than the group has streams, or some stay idle).
     * Every instance of a group must use the same number, and changing it (or turning slots on or off) needs
     * every instance stopped first: the old and the new transactional ids do not fence each other. Needs the
     * classic consumer group protocol (the default) and kmirror's assignor: a {@code group.protocol} of
     * {@code consumer} or a {@code partition.assignment.strategy} of your own is refused. {@link #maxOpenTransactions}
     * does not apply (every slot a stream owns has its producer open). Default 0: a producer per source partition.
     */
    public MirrorBuilder transactionSlots(int slots) {
        this.transactionSlots = slots;
        return this;
    }

    /** Replication factor of destination topics the mirror creates; default: the destination broker's default. */
    public MirrorBuilder destinationReplicationFactor(int replicationFactor) {
        this.destinationReplicationFactor = replicationFactor;
        return this;
    }

    /**
     * Rewrites or drops records before they are sent (MirrorMaker 1's {@code --message.handler});
     * default: records pass unchanged. Chain several with {@link RecordTransformer#andThen}.
     */
    public MirrorBuilder transformer(RecordTransformer transformer) {
        this.transformer = Objects.requireNonNull(transformer, "transformer");
        return this;
    }

    /**
     * What to do when the destination refuses a record for good; default {@link SendFailurePolicy#FAIL}
     * (MirrorMaker 1's {@code --abort.on.send.failure=true}).
     */
    public MirrorBuilder onSendFailure(SendFailurePolicy policy) {
        this.sendFailurePolicy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * What to do when source records vanished before they were mirrored (retention or
     * {@code deleteRecords} moved the log start past the mirror's position, a truncated log, a topic
     * deleted and recreated under the same name); default {@link GapPolicy#FAIL}. The mirror never resets
     * silently past such a gap, whatever {@code auto.offset.reset} says: that setting only says where a
     * partition without a committed offset starts.
     */
    public MirrorBuilder onGap(GapPolicy policy) {
        this.gapPolicy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /**
     * Whether destination topics get the source topics' configs (their topic-level overrides:
     * {@code cleanup.policy}, {@code retention.ms}, {@code max.message.bytes}, ...) at creation and
     * follow changes at the source within the topic refresh interval; default true. Configs follow only
     * on destination topics this mirror's kmirror created (the side that created a topic owns its configs),
     * unless {@link #syncConfigsOfExistingTopics}. Keys in {@link #DEFAULT_EXCLUDED_CONFIGS} and
     * {@link #excludeConfigs} are never copied.
     */
    public MirrorBuilder syncTopicConfigs(boolean sync) {
        this.syncTopicConfigs = sync;
        return this;
    }

    /**
     * Whether configs also follow the source on destination topics that existed before kmirror created
     * them (made by hand or by an application on the destination); default false: such a topic keeps its
     * own configs. Leave it off for two-way mirroring, or the two directions would overwrite each other's
     * changes.
     */
    public MirrorBuilder syncConfigsOfExistingTopics(boolean sync) {
        this.syncConfigsOfExistingTopics = sync;
        return this;
    }

    /**
     * Whether records carry the {@link Provenance} header (the ids of the clusters they were written to) and
     * are never sent to a cluster they were written to before; default true. This is what lets two mirrors
     * copy the same topic names both ways (A→B and B→A), or mirrors form a ring, without records going
     * round forever. Turn it off only to keep the destination's records byte for byte without kmirror's
     * header in a one-way mirror.
     */
    public MirrorBuilder loopPrevention(boolean prevent) {
        this.loopPrevention = prevent;
        return this;
    }

    /**
     * Where the mirror starts reading a source partition its group has no committed offset for: a new
     * mirror, or a topic it never mirrored; default {@link StartPosition#earliest()}. A partition with a
     * committed offset always resumes from it. The same as the source's {@code auto.offset.reset}
     * ({@code earliest}, {@code latest}); set one or the other, not both.
     */
    public MirrorBuilder startFrom(StartPosition position) {
        this.startFrom = Objects.requireNonNull(position, "position");
        return this;
    }

    /**
     * Limits the bytes (keys and values) the mirror fetches from the source, over all its streams; default
     * 0: no limit. Kept by pausing fetches, never by sleeping, so the group's heartbeats and commits go on;
     * changed while running with {@link Mirror#maxBytesPerSecond(long)}. Each process of a group has its own
     * limit.
     */
    public MirrorBuilder maxBytesPerSecond(long bytesPerSecond) {
        this.maxBytesPerSecond = bytesPerSecond;
        return this;
    }

    /**
     * Whether destination topics get the read permissions of their source topics, as MirrorMaker 2's ACL
     * sync does; default false. Checked with every topic refresh: each ACL of a mirrored source topic that
     * names the topic itself (pattern type {@code LITERAL}) and allows or denies {@code READ} or
     * {@code DESCRIBE} is created on the destination topic (renamed by {@link #topicNaming}); {@code ALL}
     * becomes {@code READ}. Never copied: {@code WRITE} or any other operation, prefixed and wildcard ACLs,
     * ACLs of groups, transactional ids or the cluster. Never changed or deleted on the destination: an ACL
     * removed at the source stays until an administrator removes it. Needs {@code DESCRIBE} on the source
     * cluster and {@code ALTER} on the destination cluster, and an authorizer on both: without one the
     * mirror fails naming the side. A new topic's ACLs are created right after its mirroring starts, in the
     * same refresh; {@link MirrorState#RUNNING} does not wait for them.
     */
    public MirrorBuilder syncAcls(boolean sync) {
        this.syncAcls = sync;
        return this;
    }

    /**
     * Copies the committed offsets of the source's consumer groups that {@code groups} matches to the same
     * groups on the destination, translated record-exactly by the mirror's offset map, so that their consumers
     * can move to the destination and read exactly the rest. Off by default. Every {@link #groupSyncInterval}
     * (default 1 s), each matching source group, with or without active members on the source, has each of its
     * partitions that the mirror has copied as far as the group's position committed on the destination: only
     * while the group has no active member on the destination, never moving it backwards, capped at the
     * destination's end offset, without a leader epoch. The mirror's own group is never synced. Needs
     * {@code DESCRIBE} on the source's groups and {@code READ} on the destination's on secured clusters.
     */
    public MirrorBuilder syncGroupOffsets(GroupFilter groups) {
        this.syncGroups = Objects.requireNonNull(groups, "groups");
        return this;
    }

    /**
     * Whether the mirror keeps its offset map (the compacted topic {@code __kmirror-offsets} on the destination)
     * for {@link Mirror#offsets()}, {@link OffsetTranslator} and {@link #syncGroupOffsets}; default true. The
     * map costs one small record per partition and commit that moved (under exactly-once, one per transaction),
     * written before the offsets are committed. Turn it off only if no consumer will ever move to the
     * destination; it cannot be combined with {@link #syncGroupOffsets}.
     */
    public MirrorBuilder offsetTranslation(boolean keepOffsetMap) {
        this.offsetTranslation = keepOffsetMap;
        return this;
    }

    /** How often {@link #syncGroupOffsets} copies the groups' offsets; default {@link #DEFAULT_GROUP_SYNC_INTERVAL}. */
    public MirrorBuilder groupSyncInterval(Duration interval) {
        this.groupSyncInterval = Objects.requireNonNull(interval, "interval");
        return this;
    }

    /**
     * Topic config keys never copied to the destination, in addition to {@link #DEFAULT_EXCLUDED_CONFIGS};
     * a key ending in {@code *} excludes every key with that prefix. May be called several times.
     */
    public MirrorBuilder excludeConfigs(String... keys) {
        for (String key : keys) {
            excludedConfigs.add(Objects.requireNonNull(key, "key"));
        }
        return this;
    }

    /** What to do when the destination refuses a topic; default {@link TopicErrorPolicy#FAIL}. */
    public MirrorBuilder onTopicError(TopicErrorPolicy policy) {
        this.topicErrorPolicy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /** Receives lifecycle events; default none. See {@link MirrorListener} for the threading contract. */
    public MirrorBuilder listener(MirrorListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** Creates the source consumers; default {@link ConsumerFactory#kafka()}. */
    public MirrorBuilder consumerFactory(ConsumerFactory factory) {
        this.consumerFactory = Objects.requireNonNull(factory, "factory");
        return this;
    }

    /** Creates the destination producer; default {@link ProducerFactory#kafka()}. */
    public MirrorBuilder producerFactory(ProducerFactory factory) {
        this.producerFactory = Objects.requireNonNull(factory, "factory");
        return this;
    }

    /** Creates the source and destination admin clients; default {@link AdminFactory#kafka()}. */
    public MirrorBuilder adminFactory(AdminFactory factory) {
        this.adminFactory = Objects.requireNonNull(factory, "factory");
        return this;
    }

    /**
     * Which of the mirror's metrics are recorded, as Kafka's {@code metrics.recording.level}; default
     * {@link RecordingLevel#DEBUG}: all of them. {@link RecordingLevel#INFO} leaves out the sensors updated
     * for every record (the replication latency, the per-partition record counts) and keeps the rest
     * (totals and rates, records and time lag, commits, rebalances). The benchmark measured the per-record
     * sensors' cost within its noise in throughput and at 1-3% of the mirror's CPU (see the README).
     */
    public MirrorBuilder metricsRecordingLevel(RecordingLevel level) {
        this.metricsRecordingLevel = Objects.requireNonNull(level, "level");
        return this;
    }

    /**
     * Checks the configuration and creates the mirror, not yet started.
     *
     * @throws MirrorConfigException naming every problem found, one line each
     */
    public Mirror build() {
        return new MirrorRuntime(validatedSettings());
    }

    /**
     * The configurations of the Kafka clients a mirror built now would create: every key with its value,
     * secrets masked, kmirror's defaults marked ({@link EffectiveConfigs.Origin}). Checks the settings as
     * {@link #build()} does; connects to nothing.
     *
     * @return the client configurations
     * @throws MirrorConfigException naming every problem found
     */
    public EffectiveConfigs effectiveConfigs() {
        MirrorSettings settings = validatedSettings();
        String group = settings.groupId();
        LayeredConfig producer = settings.guarantee() == DeliveryGuarantee.EXACTLY_ONCE
                ? ClientConfigs.transactionalProducerLayers(settings, "kmirror-" + group + "-<topic>-<partition>")
                : ClientConfigs.producerLayers(settings, 0);
        return new EffectiveConfigs(ClientConfigs.consumerLayers(settings, 0), producer,
                ClientConfigs.sourceAdminLayers(settings), ClientConfigs.destinationAdminLayers(settings));
    }

    private MirrorSettings validatedSettings() {
        return SettingsValidator.validate(new MirrorSettings(
                source, destination, topics, groupId,
                streams == null ? DEFAULT_STREAMS : streams,
                topicNaming == null ? TopicNaming.identity() : topicNaming,
                partitioning == null ? Partitioning.PRESERVE : partitioning,
                guarantee == null ? DeliveryGuarantee.AT_LEAST_ONCE : guarantee,
                topicRefreshInterval == null ? DEFAULT_TOPIC_REFRESH_INTERVAL : topicRefreshInterval,
                offsetCommitInterval == null ? DEFAULT_OFFSET_COMMIT_INTERVAL : offsetCommitInterval,
                transactionCommitInterval == null ? DEFAULT_TRANSACTION_COMMIT_INTERVAL : transactionCommitInterval,
                maxTransactionRecords == null ? DEFAULT_MAX_TRANSACTION_RECORDS : maxTransactionRecords,
                maxOpenTransactions == null ? 0 : maxOpenTransactions,
                transactionSlots == null ? 0 : transactionSlots,
                destinationReplicationFactor == null ? OptionalInt.empty() : OptionalInt.of(destinationReplicationFactor),
                transformer == null ? RecordTransformer.identity() : transformer,
                sendFailurePolicy == null ? SendFailurePolicy.FAIL : sendFailurePolicy,
                gapPolicy == null ? GapPolicy.FAIL : gapPolicy,
                syncTopicConfigs == null || syncTopicConfigs,
                syncConfigsOfExistingTopics != null && syncConfigsOfExistingTopics,
                loopPrevention == null || loopPrevention,
                startFrom,
                maxBytesPerSecond == null ? 0 : maxBytesPerSecond,
                syncAcls != null && syncAcls,
                syncGroups,
                offsetTranslation == null || offsetTranslation,
                groupSyncInterval == null ? DEFAULT_GROUP_SYNC_INTERVAL : groupSyncInterval,
                union(DEFAULT_EXCLUDED_CONFIGS, excludedConfigs),
                topicErrorPolicy == null ? TopicErrorPolicy.FAIL : topicErrorPolicy,
                listener == null ? new MirrorListener() { } : listener,
                consumerFactory == null ? ConsumerFactory.kafka() : consumerFactory,
                producerFactory == null ? ProducerFactory.kafka() : producerFactory,
                adminFactory == null ? AdminFactory.kafka() : adminFactory,
                metricsRecordingLevel == null ? RecordingLevel.DEBUG : metricsRecordingLevel,
                toString()));
    }

    /** The settings given so far (only those), with secrets masked. */
    @Override
    public String toString() {
        StringJoiner s = new StringJoiner(", ", "MirrorBuilder{", "}");
        if (source != null) {
            s.add("source=" + ConfigMasking.mask(source));
        }
        if (destination != null) {
            s.add("destination=" + ConfigMasking.mask(destination));
        }
        add(s, "topics", topics);
        add(s, "groupId", groupId);
        add(s, "streams", streams);
        add(s, "topicNaming", topicNaming);
        add(s, "partitioning", partitioning);
        add(s, "guarantee", guarantee);
        add(s, "topicRefreshInterval", topicRefreshInterval);
        add(s, "offsetCommitInterval", offsetCommitInterval);
        add(s, "transactionCommitInterval", transactionCommitInterval);
        add(s, "maxTransactionRecords", maxTransactionRecords);
        add(s, "maxOpenTransactions", maxOpenTransactions);
        add(s, "transactionSlots", transactionSlots);
        add(s, "destinationReplicationFactor", destinationReplicationFactor);
        add(s, "transformer", transformer);
        add(s, "onSendFailure", sendFailurePolicy);
        add(s, "onGap", gapPolicy);
        add(s, "syncTopicConfigs", syncTopicConfigs);
        add(s, "syncConfigsOfExistingTopics", syncConfigsOfExistingTopics);
        add(s, "loopPrevention", loopPrevention);
        add(s, "startFrom", startFrom);
        add(s, "maxBytesPerSecond", maxBytesPerSecond);
        add(s, "syncAcls", syncAcls);
        add(s, "syncGroupOffsets", syncGroups);
        add(s, "offsetTranslation", offsetTranslation);
        add(s, "groupSyncInterval", groupSyncInterval);
        add(s, "excludeConfigs", excludedConfigs.isEmpty() ? null : excludedConfigs);
        add(s, "onTopicError", topicErrorPolicy);
        add(s, "listener", listener);
        add(s, "consumerFactory", consumerFactory);
        add(s, "producerFactory", producerFactory);
        add(s, "adminFactory", adminFactory);
        add(s, "metricsRecordingLevel", metricsRecordingLevel);
        return s.toString();
    }

    private static void add(StringJoiner s, String name, Object value) {
        if (value != null) {
            s.add(name + "=" + value);
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> union = new TreeSet<>(a);
        union.addAll(b);
        return union;
    }

    private static Map<String, Object> copy(Map<String, ?> config, String name) {
        Objects.requireNonNull(config, name);
        Map<String, Object> copy = new LinkedHashMap<>();
        config.forEach((k, v) -> copy.put(Objects.requireNonNull(k, name + " key"), v));
        return copy;
    }
}
