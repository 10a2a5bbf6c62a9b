package io.kmirror.internal.topics;

import io.kmirror.MirrorListener;
import io.kmirror.internal.produce.DestinationRoute;
import io.kmirror.internal.produce.DestinationRoutes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure each destination topic exists, has as many partitions as its source topic, and is
 * writable before the first record is sent to it; remembers where each source topic's records go.
 * Topics are created with the source's partition count and synced configs. A topic found with fewer
 * partitions than its source is the user's choice: used as it is (keys are hashed onto it) and
 * reported once. One with more is reported once and never shrunk. Thread-safe.
 */
public final class DestinationTopics implements DestinationRoutes {

    private static final Logger log = LoggerFactory.getLogger(DestinationTopics.class);
    private static final Duration LEADER_WAIT = Duration.ofSeconds(60);

    private final Admin admin;
    private final OptionalInt replicationFactor;
    private final MirrorListener listener;
    private final Map<String, DestinationRoute> routes = new ConcurrentHashMap<>();
    private final Set<String> oversized = ConcurrentHashMap.newKeySet();

    /** Creates and grows topics through {@code admin}. */
    public DestinationTopics(Admin admin, OptionalInt replicationFactor, MirrorListener listener) {
        this.admin = admin;
        this.replicationFactor = replicationFactor;
        this.listener = listener;
    }

    @Override
    public Optional<DestinationRoute> route(String sourceTopic) {
        return Optional.ofNullable(routes.get(sourceTopic));
    }

    /** Destination topics with more partitions than their source. */
    public Set<String> oversized() {
        return Set.copyOf(oversized);
    }

    /**
     * Brings each planned destination topic in line: created if missing, grown if it follows its
     * source and is smaller; returns once every new partition is writable.
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
        Map<String, Integer> changed = new HashMap<>();
        todo.stream().filter(p -> !failures.containsKey(p.source()) && counts.containsKey(p.source()))
                .forEach(p -> changed.put(p.destination(), counts.get(p.source())));
        awaitLeaders(changed);
        for (TopicPlan plan : todo) {
            Integer partitions = counts.get(plan.source());
            if (partitions != null && !failures.containsKey(plan.source())) {
                remember(plan, partitions);
            }
        }
        return failures;
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
        awaitLeaders(Map.of(route.topic(), grown.get(sourceTopic)));
        remember(plan, grown.get(sourceTopic));
        return routes.get(sourceTopic);
    }

    private void remember(TopicPlan plan, int partitions) {
        DestinationRoute previous = routes.get(plan.source());
        boolean follows = previous != null ? previous.followsSource() : partitions >= plan.partitions();
        if (previous == null && partitions < plan.partitions()) {
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
        routes.put(plan.source(), new DestinationRoute(plan.destination(), partitions, follows));
    }

    private Map<String, Integer> describe(List<TopicPlan> plans, Map<String, KafkaException> failures)
            throws InterruptedException {
        Map<String, Integer> counts = new HashMap<>();
        Map<String, KafkaFuture<org.apache.kafka.clients.admin.TopicDescription>> futures =
                admin.describeTopics(plans.stream().map(TopicPlan::destination).distinct().toList()).topicNameValues();
        for (TopicPlan plan : plans) {
            try {
                counts.put(plan.destination(), futures.get(plan.destination())
                        .get(AdminCalls.TIMEOUT_MS, TimeUnit.MILLISECONDS).partitions().size());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    failures.put(plan.source(), new KafkaException("cannot describe destination topic " + plan.destination()
                            + ": " + e.getCause(), e.getCause()));
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
        Map<String, KafkaFuture<Void>> futures = admin.createTopics(topics).values();
        for (TopicPlan plan : plans) {
            try {
                futures.get(plan.destination()).get(AdminCalls.TIMEOUT_MS, TimeUnit.MILLISECONDS);
                created.put(plan.source(), plan.partitions());
                log.info("Created destination topic {} with {} partitions{}", plan.destination(), plan.partitions(),
                        plan.configs().isEmpty() ? "" : " and configs " + plan.configs());
                notifyCreated(plan.destination(), plan.partitions());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    Map<String, Integer> raced = describe(List.of(plan), failures);
                    if (raced.containsKey(plan.destination())) {
                        created.put(plan.source(), raced.get(plan.destination()));
                    }
                } else {
                    failures.put(plan.source(), new KafkaException("the destination refused to create topic "
                            + plan.destination() + ": " + e.getCause(), e.getCause()));
                }
            } catch (TimeoutException e) {
                failures.put(plan.source(), new KafkaException("creating destination topic " + plan.destination() + " timed out", e));
            }
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
                failures.put(plan.source(), new KafkaException("the destination refused to grow topic " + plan.destination()
                        + " to " + plan.partitions() + " partitions: " + e.getCause(), e.getCause()));
            } catch (TimeoutException e) {
                failures.put(plan.source(), new KafkaException("growing destination topic " + plan.destination() + " timed out", e));
            }
        }
        return grown;
    }

    /** Polls until every partition's leader answers a list-offsets request (KAFKA-15591: a fresh leader can drop the first batch). */
    private void awaitLeaders(Map<String, Integer> counts) throws InterruptedException {
        if (counts.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        counts.forEach((topic, partitions) -> {
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
        });
        long deadline = System.nanoTime() + LEADER_WAIT.toNanos();
        while (true) {
            try {
                admin.listOffsets(request).all().get(AdminCalls.TIMEOUT_MS, TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException | TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new KafkaException("destination partitions of " + counts.keySet() + " have no leader that answers after "
                            + LEADER_WAIT.toSeconds() + " s", e);
                }
                Thread.sleep(50);
            }
        }
    }

    private void notifyCreated(String topic, int partitions) {
        try {
            listener.onDestinationTopicCreated(topic, partitions);
        } catch (RuntimeException e) {
            log.warn("MirrorListener.onDestinationTopicCreated threw; ignored", e);
        }
    }
}
