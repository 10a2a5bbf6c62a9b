package io.kmirror;

import io.kmirror.internal.config.ClientConfigs;
import io.kmirror.internal.offsetmap.OffsetMapReader;
import io.kmirror.internal.offsetmap.PartitionMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.UnknownMemberIdException;

/**
 * Translates a consumer's position on the source into the position on the destination from which it
 * reads exactly the rest: nothing missing, nothing twice. Works from the offset map a mirror keeps on
 * the destination (the compacted topic {@code __kmirror-offsets}), so a failover script or any
 * application can use it without a running mirror; a running mirror offers its own through
 * {@link Mirror#offsets()}.
 *
 * <pre>{@code
 * try (OffsetTranslator translator = OffsetTranslator.create(destinationConfig, "kmirror")) {
 *     OptionalLong position = translator.translate(new TopicPartition("orders", 0), 41_872);
 * }
 * }</pre>
 *
 * <p>The rule: a committed position {@code c} (the next record the group would read) maps to the
 * destination offset of the first record at or after {@code c} that was mirrored, the <em>last</em> copy
 * of it when an at-least-once replay wrote it twice. Positions on a transaction marker, an aborted or
 * compacted record, or below the source's log start map to the next record that exists. A position the
 * mirror has not committed yet answers empty ("not yet"). Partitions mirrored into several destination
 * partitions ({@link Partitioning#BY_KEY}, or a destination topic with fewer partitions) have no map.
 *
 * <p>Answers come from a cache of the map, read whole on first use; a position past what the cache
 * covers reads what the mirror wrote since. Thread-safe.
 */
public final class OffsetTranslator implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final OffsetMapReader reader;
    private final Map<String, Object> adminConfig;
    private final String mirrorGroupId;
    private Admin admin;
    private boolean read;

    private OffsetTranslator(Map<String, ?> destinationConfig, String mirrorGroupId) {
        this.mirrorGroupId = mirrorGroupId;
        this.reader = new OffsetMapReader(destinationConfig, mirrorGroupId);
        this.adminConfig = ClientConfigs.select(destinationConfig, AdminClientConfig.configNames());
        adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "kmirror-" + mirrorGroupId + "-offset-translator");
    }

    /**
     * A translator for the mirror whose group is {@code mirrorGroupId} ({@link MirrorBuilder#groupId}, default
     * {@code kmirror}), reading the destination through {@code destinationConfig}: its {@code bootstrap.servers}
     * and security keys (the mirror's producer configuration does).
     *
     * @throws IllegalArgumentException if {@code destinationConfig} has no {@code bootstrap.servers}
     */
    public static OffsetTranslator create(Map<String, ?> destinationConfig, String mirrorGroupId) {
        Objects.requireNonNull(destinationConfig, "destinationConfig");
        Objects.requireNonNull(mirrorGroupId, "mirrorGroupId");
        if (destinationConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG) == null) {
            throw new IllegalArgumentException("destinationConfig: 'bootstrap.servers' is missing; add the destination"
                    + " cluster's brokers, e.g. bootstrap.servers=host:9092");
        }
        return new OffsetTranslator(destinationConfig, mirrorGroupId);
    }

    /**
     * The destination offset from which a reader of {@code source}'s mirror sees exactly the records at and
     * after source position {@code offset}; empty while the mirror has not committed that partition that far,
     * or if it never mirrored it into one destination partition.
     *
     * @throws KafkaException if the offset map cannot be read
     */
    public synchronized OptionalLong translate(TopicPartition source, long offset) {
        PartitionMap map = current(source, offset);
        return map == null ? OptionalLong.empty() : map.translate(offset);
    }

    /** The destination partition {@code source} is mirrored to, if the map has it. */
    public synchronized Optional<TopicPartition> destinationOf(TopicPartition source) {
        PartitionMap map = current(source, -1);
        return map == null ? Optional.empty() : Optional.of(map.destination());
    }

    /** The source partitions the map holds, by topic and partition. */
    public synchronized Set<TopicPartition> sourcePartitions() {
        refresh();
        return reader.sources();
    }

    /** How many segments (stretches with one offset difference) {@code source}'s map holds; 0 if none. */
    public synchronized int segments(TopicPartition source) {
        PartitionMap map = current(source, -1);
        return map == null ? 0 : map.segments();
    }

    /** Reads what the mirror wrote to the map since the last read. */
    public synchronized void refresh() {
        reader.catchUp();
        read = true;
    }

    private PartitionMap current(TopicPartition source, long offset) {
        PartitionMap map = read ? reader.map(source) : null;
        if (map == null || offset > map.coveredUpTo()) {
            refresh();
            map = reader.map(source);
        }
        return map;
    }

    /**
     * The failover plan of consumer group {@code group}: its committed positions on the source (read through
     * {@code sourceAdmin}), each translated, with the destination's end offsets and the group's offsets there
     * now. Partitions of topics the mirror does not mirror have no destination.
     *
     * @throws KafkaException if a cluster cannot be read
     */
    public synchronized List<GroupOffset> translateGroup(Admin sourceAdmin, String group) throws InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> committed = get(sourceAdmin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata(), "reading group " + group + "'s offsets on the source");
        refresh();
        Map<TopicPartition, TopicPartition> destinations = new HashMap<>();
        committed.forEach((tp, offset) -> {
            PartitionMap map = reader.map(tp);
            if (offset != null && map != null) {
                destinations.put(tp, map.destination());
            }
        });
        Map<TopicPartition, Long> ends = offsets(destinations.values(), OffsetSpec.latest());
        Map<TopicPartition, Long> starts = offsets(destinations.values(), OffsetSpec.earliest());
        Map<TopicPartition, OffsetAndMetadata> onDestination = get(admin().listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata(), "reading group " + group + "'s offsets on the destination");
        List<GroupOffset> plan = new ArrayList<>();
        committed.forEach((tp, offset) -> {
            if (offset == null) {
                return;
            }
            TopicPartition destination = destinations.get(tp);
            OptionalLong position = destination == null ? OptionalLong.empty() : reader.map(tp).translate(offset.offset());
            long end = destination == null ? -1 : ends.getOrDefault(destination, -1L);
            if (position.isPresent() && end >= 0 && position.getAsLong() > end) {
                position = OptionalLong.of(end);
            }
            Long start = destination == null ? null : starts.get(destination);
            if (position.isPresent() && start != null && position.getAsLong() < start) {
                position = OptionalLong.of(start); // the destination deleted those records: its first one is next
            }
            OffsetAndMetadata current = destination == null ? null : onDestination.get(destination);
            plan.add(new GroupOffset(tp, offset.offset(), Optional.ofNullable(destination), position, end,
                    current == null ? OptionalLong.empty() : OptionalLong.of(current.offset())));
        });
        plan.sort(Comparator.comparing((GroupOffset g) -> g.source().topic()).thenComparingInt(g -> g.source().partition()));
        return plan;
    }

    /**
     * Commits {@code plan}'s translated positions for {@code group} on the destination: only lines that move the
     * group forward ({@link GroupOffset#movesForward()}), capped at the destination's end offset, without a leader
     * epoch (a source epoch in a destination commit can make consumers loop).
     *
     * @return the offsets committed, by destination partition; empty when nothing moved
     * @throws GroupNotEmptyException if {@code group} has active members on the destination: its consumers
     *     already read there, and moving them under their feet would skip or repeat records
     * @throws KafkaException if the destination refuses or cannot be reached
     */
    public synchronized Map<TopicPartition, OffsetAndMetadata> applyGroup(String group, List<GroupOffset> plan)
            throws InterruptedException {
        if (mirrorGroupId.equals(group)) {
            throw new IllegalArgumentException("group " + group + " is the mirror's own group; its offsets are the mirror's");
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (GroupOffset line : plan) {
            if (line.movesForward() && line.destination().isPresent()) {
                offsets.put(line.destination().get(), new OffsetAndMetadata(line.destinationPosition().getAsLong(),
                        Optional.empty(), ""));
            }
        }
        if (offsets.isEmpty()) {
            return Map.of();
        }
        refuseActive(group);
        try {
            admin().alterConsumerGroupOffsets(group, offsets).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownMemberIdException || e.getCause() instanceof GroupNotEmptyException) {
                throw new GroupNotEmptyException("group " + group + " has active members on the destination; its offsets"
                        + " were not changed (stop its consumers there first)");
            }
            throw new KafkaException("committing group " + group + "'s offsets on the destination failed: " + e.getCause(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("committing group " + group + "'s offsets on the destination timed out", e);
        }
        return offsets;
    }

    private void refuseActive(String group) throws InterruptedException {
        ConsumerGroupDescription description;
        try {
            description = admin().describeConsumerGroups(List.of(group)).describedGroups().get(group)
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return;
            }
            throw new KafkaException("describing group " + group + " on the destination failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("describing group " + group + " on the destination timed out", e);
        }
        if (!description.members().isEmpty()) {
            throw new GroupNotEmptyException("group " + group + " has " + description.members().size() + " active member(s)"
                    + " on the destination; its offsets were not changed (stop its consumers there first)");
        }
    }

    private Map<TopicPartition, Long> offsets(java.util.Collection<TopicPartition> partitions, OffsetSpec spec)
            throws InterruptedException {
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        partitions.forEach(tp -> specs.put(tp, spec));
        if (specs.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> infos = get(admin().listOffsets(specs).all(),
                "reading the destination's offsets");
        Map<TopicPartition, Long> ends = new HashMap<>();
        infos.forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    private Admin admin() {
        if (admin == null) {
            admin = Admin.create(adminConfig);
        }
        return admin;
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future, String what) throws InterruptedException {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new KafkaException(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException(what + " timed out", e);
        }
    }

    /** Closes the translator's clients. The translator of a running mirror ({@link Mirror#offsets()}) is closed with the mirror. */
    @Override
    public synchronized void close() {
        reader.close();
        if (admin != null) {
            admin.close(Duration.ZERO);
        }
    }
}
