package io.kmirror.internal.topics;

import io.kmirror.MirrorListener;
import io.kmirror.TopicNaming;
import io.kmirror.internal.produce.DestinationRoute;
import io.kmirror.internal.produce.DestinationRoutes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure a destination topic exists and is writable before the first record is sent to it, and
 * remembers where each source topic's records go. Topics are created with the source's partition
 * count; a topic that exists with fewer partitions is used as it is (keys are hashed onto it) and
 * reported once. Thread-safe.
 */
public final class DestinationTopics implements DestinationRoutes {

    private static final Logger log = LoggerFactory.getLogger(DestinationTopics.class);
    private static final Duration LEADER_WAIT = Duration.ofSeconds(60);
    private static final long CALL_TIMEOUT_MS = 30_000;

    private final Admin admin;
    private final TopicNaming naming;
    private final OptionalInt replicationFactor;
    private final MirrorListener listener;
    private final Map<String, DestinationRoute> routes = new ConcurrentHashMap<>();

    /** Creates topics through {@code admin}, named by {@code naming}. */
    public DestinationTopics(Admin admin, TopicNaming naming, OptionalInt replicationFactor, MirrorListener listener) {
        this.admin = admin;
        this.naming = naming;
        this.replicationFactor = replicationFactor;
        this.listener = listener;
    }

    /** Where the records of {@code sourceTopic} go, if that topic has been {@link #ensure ensured}. */
    @Override
    public Optional<DestinationRoute> route(String sourceTopic) {
        return Optional.ofNullable(routes.get(sourceTopic));
    }

    /**
     * Makes sure each source topic's destination topic exists and every partition has a leader that
     * answers; returns when they are writable.
     *
     * @param sourcePartitions partition count per source topic
     * @throws KafkaException naming the topic when the destination refuses to create it
     */
    public void ensure(Map<String, Integer> sourcePartitions) throws InterruptedException {
        Map<String, String> destinationOf = new HashMap<>();
        sourcePartitions.keySet().stream()
                .filter(source -> !routes.containsKey(source))
                .forEach(source -> destinationOf.put(source, naming.destinationTopic(source)));
        if (destinationOf.isEmpty()) {
            return;
        }
        Map<String, Integer> existing = describe(destinationOf.values());
        List<NewTopic> toCreate = new ArrayList<>();
        destinationOf.forEach((source, destination) -> {
            if (!existing.containsKey(destination)) {
                toCreate.add(new NewTopic(destination, Optional.of(sourcePartitions.get(source)),
                        replicationFactor.isPresent() ? Optional.of((short) replicationFactor.getAsInt()) : Optional.empty()));
            }
        });
        Map<String, Integer> created = create(toCreate);
        Map<String, Integer> counts = new HashMap<>(existing);
        counts.putAll(created);
        awaitLeaders(counts);
        destinationOf.forEach((source, destination) -> {
            int partitions = counts.get(destination);
            int wanted = sourcePartitions.get(source);
            if (partitions < wanted) {
                log.warn("Destination topic {} has {} partitions, source topic {} has {}: records of source partitions {} and up"
                        + " are placed by the hash of their key, which keeps every key's order", destination, partitions,
                        source, wanted, partitions);
            }
            routes.put(source, new DestinationRoute(destination, partitions));
        });
    }

    private Map<String, Integer> describe(java.util.Collection<String> topics) throws InterruptedException {
        Map<String, Integer> counts = new HashMap<>();
        var futures = admin.describeTopics(topics).topicNameValues();
        for (var entry : futures.entrySet()) {
            try {
                TopicDescription description = entry.getValue().get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                counts.put(entry.getKey(), description.partitions().size());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new KafkaException("cannot describe destination topic " + entry.getKey() + ": " + e.getCause(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new KafkaException("describing destination topic " + entry.getKey() + " timed out", e);
            }
        }
        return counts;
    }

    private Map<String, Integer> create(List<NewTopic> topics) throws InterruptedException {
        Map<String, Integer> created = new HashMap<>();
        if (topics.isEmpty()) {
            return created;
        }
        var futures = admin.createTopics(topics).values();
        for (NewTopic topic : topics) {
            try {
                futures.get(topic.name()).get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                int partitions = topic.numPartitions();
                created.put(topic.name(), partitions);
                log.info("Created destination topic {} with {} partitions", topic.name(), partitions);
                notifyCreated(topic.name(), partitions);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicExistsException) {
                    created.putAll(describe(List.of(topic.name())));
                } else {
                    throw new KafkaException("the destination refused to create topic " + topic.name() + ": " + e.getCause(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new KafkaException("creating destination topic " + topic.name() + " timed out", e);
            }
        }
        return created;
    }

    /** Polls until every partition's leader answers a list-offsets request (KAFKA-15591: a fresh leader can drop the first batch). */
    private void awaitLeaders(Map<String, Integer> counts) throws InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        counts.forEach((topic, partitions) -> {
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
        });
        long deadline = System.nanoTime() + LEADER_WAIT.toNanos();
        while (true) {
            try {
                admin.listOffsets(request).all().get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
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
