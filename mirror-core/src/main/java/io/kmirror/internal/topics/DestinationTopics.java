package io.kmirror.internal.topics;

import io.kmirror.MirrorListener;
import io.kmirror.internal.ClusterAccess;
import io.kmirror.internal.Faults;
import io.kmirror.internal.produce.DestinationRoute;
import io.kmirror.internal.produce.DestinationRoutes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure each destination topic exists, has as many partitions as its source topic, and is
 * writable before the first record is sent to it; remembers where each source topic's records go.
 * Topics are created with the source's partition count and synced configs, and recorded in the
 * {@link TopicRegistry}: a topic kmirror created keeps following its source, also after a restart. A
 * topic kmirror did not create and finds with fewer partitions than its source is the user's choice:
 * used as it is (keys are hashed onto it) and reported once. One with more is reported once and never
 * shrunk. A new partition is <em>writable</em> once its leader answered (KAFKA-15591: a fresh leader can
 * drop the first batch of an idempotent producer): the streams hold each new partition's records until
 * then, so a topic of thousands of partitions starts flowing as its leaders come up instead of after the
 * last one. A refusal by the destination (a missing ACL) is named ({@link ClusterAccess}), never waited out.
 * Thread-safe.
 */
public final class DestinationTopics implements DestinationRoutes {

    private static final Logger log = LoggerFactory.getLogger(DestinationTopics.class);
    /**
     * How long a topic scan waits for new partitions' leaders without any of them answering before leaving
     * the topic for the next scan; while they keep answering it waits on, up to {@link #SCAN_LEADER_WAIT_MAX}.
     */
    private static final Duration SCAN_LEADER_WAIT = Duration.ofSeconds(10);
    /**
     * The longest a scan waits for leaders that keep answering. A broker takes 10-30 s to lead thousands of new
     * partitions; publishing the topics ready so far and the rest a scan later would cost the streams one
     * rebalance of every partition per scan (measured: 200 new topics of 10 partitions in three pieces
     * halved the mirror's rate).
     */
    private static final Duration SCAN_LEADER_WAIT_MAX = Duration.ofSeconds(60);
    /** How long a stream that needs a new partition now waits for its leader. */
    private static final Duration GROW_LEADER_WAIT = Duration.ofSeconds(60);

    private final Admin admin;
    private final OptionalInt replicationFactor;
    private final MirrorListener listener;
    private final TopicRegistry registry;
    private final ClusterAccess access;
    private volatile boolean limitsRefused;
    private final Map<String, Uuid> topicIds = new ConcurrentHashMap<>();
    /** Destination topic → its max.message.bytes, as last read. */
    private final Map<String, Integer> limits = new ConcurrentHashMap<>();
    private final Map<String, DestinationRoute> routes = new ConcurrentHashMap<>();
    private final Set<String> oversized = ConcurrentHashMap.newKeySet();
    /** Destination partitions created or grown whose leader has not answered yet: nothing is sent to them. */
    private final Map<String, Set<Integer>> unwritable = new ConcurrentHashMap<>();

    /** Creates and grows topics through {@code admin}, whose refusals {@code access} names. */
    public DestinationTopics(Admin admin, OptionalInt replicationFactor, MirrorListener listener, TopicRegistry registry,
            ClusterAccess access) {
        this.admin = admin;
        this.access = access;
        this.replicationFactor = replicationFactor;
        this.listener = listener;
        this.registry = registry;
    }

    @Override
    public Optional<DestinationRoute> route(String sourceTopic) {
        return Optional.ofNullable(routes.get(sourceTopic));
    }

    @Override
    public boolean writable(String destinationTopic, int partition) {
        Set<Integer> waiting = unwritable.get(destinationTopic);
        return waiting == null || !waiting.contains(partition);
    }

    @Override
    public boolean writable(String destinationTopic) {
        return !unwritable.containsKey(destinationTopic);
    }

    @Override
    public boolean allWritable() {
        return unwritable.isEmpty();
    }

    /** Whether some new destination partitions have no leader that answered yet. */
    public boolean hasUnwritable() {
        return !unwritable.isEmpty();
    }

    /** Whether kmirror created destination topic {@code topic} (as its registry remembers, across restarts). */
    public boolean createdByKmirror(String topic) {
        Uuid id = topicIds.get(topic);
        return id != null && registry.created(topic, id);
    }

    /** Destination topics with more partitions than their source. */
    public Set<String> oversized() {
        return Set.copyOf(oversized);
    }

    /**
     * Brings each planned destination topic in line: created if missing, grown if it follows its
     * source and is smaller. Routes the topics at once; their new partitions are writable once
     * {@link #awaitWritable} saw their leaders answer.
     *
     * @return per source topic, why its destination could not be prepared (the others are ready)
     */
    public synchronized Map<String, KafkaException> ensure(Collection<TopicPlan> plans) throws InterruptedException {
        Map<String, KafkaException> failures = new HashMap<>();
        List<TopicPlan> todo = new ArrayList<>();
        for (TopicPlan plan : plans) {
            DestinationRoute route = routes.get(plan.source());
            if (route == null || (route.followsSource() && route.partitions() < plan.partitions())) {
                todo.add(plan);
            }
        }
        if (todo.isEmpty()) {
            return failures;
        }
        Map<String, Integer> existing = describe(todo, failures);
        Map<String, Integer> counts = new HashMap<>();
        List<TopicPlan> toCreate = new ArrayList<>();
        List<TopicPlan> toGrow = new ArrayList<>();
        for (TopicPlan plan : todo) {
            if (failures.containsKey(plan.source())) {
                continue;
            }
            Integer partitions = existing.get(plan.destination());
            DestinationRoute route = routes.get(plan.source());
            if (partitions == null) {
                toCreate.add(plan);
            } else if (partitions < plan.partitions() && route != null && route.followsSource()) {
                toGrow.add(plan);
            } else {
                counts.put(plan.source(), partitions);
            }
        }
        counts.putAll(create(toCreate, failures));
        counts.putAll(grow(toGrow, failures));
        for (TopicPlan plan : todo) {
            Integer partitions = counts.get(plan.source());
            if (partitions != null && !failures.containsKey(plan.source())) {
                DestinationRoute known = routes.get(plan.source());
                for (int p = known == null ? 0 : known.partitions(); p < partitions; p++) {
                    markUnwritable(new TopicPartition(plan.destination(), p));
                }
                remember(plan, partitions);
            }
        }
        return failures;
    }

    /**
     * Waits until the leaders of the partitions not yet writable answer, each writable as soon as its own
     * leader answers: for {@link #SCAN_LEADER_WAIT}, and on while more of them answer (up to
     * {@link #SCAN_LEADER_WAIT_MAX}). Those still silent stay unwritable; the next topic scan waits for them
     * again.
     *
     * @return whether some partitions are still not writable
     */
    public boolean awaitWritable() throws InterruptedException {
        Set<TopicPartition> waiting = unwritablePartitions();
        if (waiting.isEmpty()) {
            return false;
        }
        Set<String> silent = new HashSet<>();
        awaitWritable(waiting, SCAN_LEADER_WAIT).forEach(tp -> silent.add(tp.topic()));
        if (!silent.isEmpty()) {
            log.warn("Destination partitions of {} have no leader that answers, and no more answered for {} s; nothing is sent"
                    + " to them until they answer", silent, SCAN_LEADER_WAIT.toSeconds());
        }
        return !silent.isEmpty();
    }

    @Override
    public synchronized DestinationRoute grow(String sourceTopic, int sourcePartitions) throws InterruptedException {
        DestinationRoute route = routes.get(sourceTopic);
        if (route == null || !route.followsSource() || route.partitions() >= sourcePartitions) {
            return route;
        }
        TopicPlan plan = new TopicPlan(sourceTopic, route.topic(), sourcePartitions, Map.of());
        Map<String, KafkaException> failures = new HashMap<>();
        Map<String, Integer> grown = grow(List.of(plan), failures);
        if (failures.containsKey(sourceTopic)) {
            throw failures.get(sourceTopic);
        }
        Set<TopicPartition> added = new HashSet<>();
        for (int p = route.partitions(); p < grown.get(sourceTopic); p++) {
            added.add(new TopicPartition(route.topic(), p));
        }
        added.forEach(this::markUnwritable);
        if (!awaitWritable(added, GROW_LEADER_WAIT).isEmpty()) {
            throw new KafkaException("the new partitions of destination topic " + route.topic() + " have no leader that answers after "
                    + GROW_LEADER_WAIT.toSeconds() + " s");
        }
        remember(plan, grown.get(sourceTopic));
        return routes.get(sourceTopic);
    }

    /**
     * Reads the {@code max.message.bytes} of every routed destination topic, so that a record certainly
     * too large for one is refused before it is sent. A failed read keeps what was known.
     */
    public synchronized void refreshLimits() throws InterruptedException {
        readLimits(routes.values().stream().map(DestinationRoute::topic).distinct().toList());
    }

    @Override
    public synchronized DestinationRoute refreshLimit(String sourceTopic) throws InterruptedException {
        DestinationRoute route = routes.get(sourceTopic);
        if (route != null) {
            readLimits(List.of(route.topic()));
        }
        return routes.get(sourceTopic);
    }

    private void readLimits(List<String> topics) throws InterruptedException {
        if (topics.isEmpty()) {
            return;
        }
        List<ConfigResource> resources = topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<ConfigResource, Config> configs;
        try {
            configs = admin.describeConfigs(resources).all().get(AdminCalls.TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // an optimization only: the destination refuses a record too large itself
            if (ClusterAccess.isDenied(e) && !limitsRefused) {
                limitsRefused = true;
                log.warn("{}; records too large for a destination topic are found when the destination refuses them",
                        access.denial(e, "DESCRIBE_CONFIGS on " + ClusterAccess.resource(e, "topics " + topics)).getMessage());
            }
            log.debug("Reading the max.message.bytes of destination topics {} failed: {}", topics, e.toString());
            return;
        }
        configs.forEach((resource, config) -> {
            ConfigEntry entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            if (entry != null && entry.value() != null) {
                limits.put(resource.name(), Integer.parseInt(entry.value()));
            }
        });
        routes.replaceAll((source, route) -> new DestinationRoute(route.topic(), route.partitions(), route.followsSource(),
                limits.getOrDefault(route.topic(), Integer.MAX_VALUE)));
    }

    private void remember(TopicPlan plan, int partitions) {
        DestinationRoute previous = routes.get(plan.source());
        Uuid id = topicIds.get(plan.destination());
        boolean follows = previous != null ? previous.followsSource()
                : partitions >= plan.partitions() || id != null && registry.created(plan.destination(), id);
        if (previous == null && !follows) {
            log.warn("Destination topic {} has {} partitions, source topic {} has {}: records of source partitions {} and up"
                    + " are placed by the hash of their key, which keeps every key's order", plan.destination(), partitions,
                    plan.source(), plan.partitions(), partitions);
        }
        if (partitions > plan.partitions()) {
            if (oversized.add(plan.destination())) {
                log.warn("Destination topic {} has {} partitions, more than the {} of source topic {}; it is not shrunk,"
                        + " records keep their partition numbers", plan.destination(), partitions, plan.partitions(), plan.source());
            }
        } else {
            oversized.remove(plan.destination());
        }
        routes.put(plan.source(), new DestinationRoute(plan.destination(), partitions, follows,
                limits.getOrDefault(plan.destination(), Integer.MAX_VALUE)));
    }

    private Map<String, Integer> describe(List<TopicPlan> plans, Map<String, KafkaException> failures)
            throws InterruptedException {
        Map<String, Integer> counts = new HashMap<>();
        Map<String, KafkaFuture<org.apache.kafka.clients.admin.TopicDescription>> futures =
                admin.describeTopics(plans.stream().map(TopicPlan::destination).distinct().toList()).topicNameValues();
        for (TopicPlan plan : plans) {
            try {
                org.apache.kafka.clients.admin.TopicDescription description = futures.get(plan.destination())
                        .get(AdminCalls.TIMEOUT_MS, TimeUnit.MILLISECONDS);
                topicIds.put(plan.destination(), description.topicId());
                counts.put(plan.destination(), description.partitions().size());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    failures.put(plan.source(), access.failure(e.getCause(), "DESCRIBE on topic " + plan.destination(),
                            () -> new KafkaException("cannot describe destination topic " + plan.destination() + ": " + e.getCause(),
                                    e.getCause())));
                }
            } catch (TimeoutException e) {
                failures.put(plan.source(), new KafkaException("describing destination topic " + plan.destination() + " timed out", e));
            }
        }
        return counts;
    }

    private Map<String, Integer> create(List<TopicPlan> plans, Map<String, KafkaException> failures)
            throws InterruptedException {
        Map<String, Integer> created = new HashMap<>();
        if (plans.isEmpty()) {
            return created;
        }
        List<NewTopic> topics = plans.stream().map(p -> new NewTopic(p.destination(), Optional.of(p.partitions()),
                replicationFactor.isPresent() ? Optional.of((short) replicationFactor.getAsInt()) : Optional.empty())
                .configs(p.configs())).toList();
        CreateTopicsResult result = admin.createTopics(topics);
        Map<String, KafkaFuture<Void>> futures = result.values();
        List<TopicPlan> made = new ArrayList<>();
        Map<String, Uuid> madeIds = new LinkedHashMap<>();
        for (TopicPlan plan : plans) {
            try {
                futures.get(plan.destination()).get(AdminCalls.TIMEOUT_MS, TimeUnit.MILLISECONDS);
                Uuid id = result.topicId(plan.destination()).get(AdminCalls.TIMEOUT_MS, TimeUnit.MILLISECONDS);
                topicIds.put(plan.destination(), id);
                made.add(plan);
                madeIds.put(plan.destination(), id);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    Map<String, Integer> raced = describe(List.of(plan), failures);
                    if (raced.containsKey(plan.destination())) {
                        created.put(plan.source(), raced.get(plan.destination()));
                    }
                } else {
                    failures.put(plan.source(), access.failure(e.getCause(), "CREATE on topic " + plan.destination(),
                            () -> new KafkaException("the destination refused to create topic " + plan.destination() + ": "
                                    + e.getCause(), e.getCause())));
                }
            } catch (TimeoutException e) {
                failures.put(plan.source(), new KafkaException("creating destination topic " + plan.destination() + " timed out", e));
            }
        }
        registry.recordCreated(madeIds);
        for (TopicPlan plan : made) {
            created.put(plan.source(), plan.partitions());
            log.info("Created destination topic {} with {} partitions{}", plan.destination(), plan.partitions(),
                    plan.configs().isEmpty() ? "" : " and configs " + plan.configs());
            notifyCreated(plan.destination(), plan.partitions());
        }
        return created;
    }

    private Map<String, Integer> grow(List<TopicPlan> plans, Map<String, KafkaException> failures) throws InterruptedException {
        Map<String, Integer> grown = new HashMap<>();
        if (plans.isEmpty()) {
            return grown;
        }
        Map<String, NewPartitions> request = new HashMap<>();
        plans.forEach(p -> request.put(p.destination(), NewPartitions.increaseTo(p.partitions())));
        Map<String, KafkaFuture<Void>> futures = admin.createPartitions(request).values();
        for (TopicPlan plan : plans) {
            try {
                futures.get(plan.destination()).get(AdminCalls.TIMEOUT_MS, TimeUnit.MILLISECONDS);
                grown.put(plan.source(), plan.partitions());
                log.info("Grew destination topic {} to {} partitions, as its source {}", plan.destination(), plan.partitions(),
                        plan.source());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof InvalidPartitionsException) {
                    // another mirror process grew it first
                    Map<String, Integer> now = describe(List.of(plan), failures);
                    if (now.containsKey(plan.destination()) && now.get(plan.destination()) >= plan.partitions()) {
                        grown.put(plan.source(), now.get(plan.destination()));
                        continue;
                    }
                }
                failures.put(plan.source(), access.failure(e.getCause(), "ALTER on topic " + plan.destination(),
                        () -> new KafkaException("the destination refused to grow topic " + plan.destination() + " to "
                                + plan.partitions() + " partitions: " + e.getCause(), e.getCause())));
            } catch (TimeoutException e) {
                failures.put(plan.source(), new KafkaException("growing destination topic " + plan.destination() + " timed out", e));
            }
        }
        return grown;
    }

    /**
     * Asks the leaders of {@code partitions} for their end offsets (KAFKA-15591: a fresh leader can drop the first
     * batch) and marks each partition writable as soon as its leader answers; waits for {@code wait}, and on while
     * more of them answer (up to {@link #SCAN_LEADER_WAIT_MAX}). The admin client retries a partition whose leader
     * is not ready yet by itself; one that answers after the wait still becomes writable then.
     *
     * @return the partitions that have not answered
     */
    private Set<TopicPartition> awaitWritable(Set<TopicPartition> partitions, Duration wait) throws InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
        ListOffsetsResult result = admin.listOffsets(request);
        Map<TopicPartition, Throwable> fatal = new ConcurrentHashMap<>();
        for (TopicPartition tp : partitions) {
            result.partitionResult(tp).whenComplete((info, e) -> {
                if (e == null) {
                    markWritable(tp);
                } else if (Faults.isFatal(e)) {
                    fatal.put(tp, e);
                }
            });
        }
        long started = System.nanoTime();
        long deadline = started + wait.toNanos();
        long longest = started + Math.max(wait.toNanos(), SCAN_LEADER_WAIT_MAX.toNanos());
        Set<TopicPartition> waiting = new HashSet<>(partitions);
        while (true) {
            int before = waiting.size();
            waiting.removeIf(tp -> writable(tp.topic(), tp.partition()));
            if (!fatal.isEmpty()) {
                Map.Entry<TopicPartition, Throwable> first = fatal.entrySet().iterator().next();
                throw access.failure(first.getValue(), "DESCRIBE on topic " + first.getKey().topic(),
                        () -> new KafkaException("listing the offsets of destination partition " + first.getKey() + " failed: "
                                + first.getValue(), first.getValue()));
            }
            if (waiting.isEmpty()) {
                return Set.of();
            }
            long now = System.nanoTime();
            if (waiting.size() < before) {
                deadline = Math.min(longest, Math.max(deadline, now + wait.toNanos()));
            }
            if (now > deadline) {
                return waiting;
            }
            Thread.sleep(20);
        }
    }

    private void markUnwritable(TopicPartition tp) {
        unwritable.compute(tp.topic(), (topic, partitions) -> { // atomic with markWritable's removal of an emptied set
            Set<Integer> now = partitions == null ? ConcurrentHashMap.newKeySet() : partitions;
            now.add(tp.partition());
            return now;
        });
    }

    private void markWritable(TopicPartition tp) {
        unwritable.computeIfPresent(tp.topic(), (topic, partitions) -> {
            partitions.remove(tp.partition());
            return partitions.isEmpty() ? null : partitions;
        });
    }

    private Set<TopicPartition> unwritablePartitions() {
        Set<TopicPartition> partitions = new HashSet<>();
        unwritable.forEach((topic, numbers) -> numbers.forEach(p -> partitions.add(new TopicPartition(topic, p))));
        return partitions;
    }

    private void notifyCreated(String topic, int partitions) {
        try {
            listener.onDestinationTopicCreated(topic, partitions);
        } catch (RuntimeException e) {
            log.warn("MirrorListener.onDestinationTopicCreated threw; ignored", e);
        }
    }
}
