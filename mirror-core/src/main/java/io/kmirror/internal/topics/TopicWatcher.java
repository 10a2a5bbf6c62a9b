package io.kmirror.internal.topics;

import io.kmirror.TopicErrorPolicy;
import io.kmirror.TopicFilter;
import io.kmirror.TopicNaming;
import io.kmirror.internal.MirrorCounters;
import io.kmirror.internal.filter.InternalTopics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mirror's topic sync, run every topic refresh interval: finds the source topics that match the
 * filter, names their destination topics, has those created or grown and their configs synced, and
 * only then publishes them as the streams' subscription, so no record is sent to a topic that is not
 * ready. A topic the destination refuses stops the mirror, or is left out under
 * {@link TopicErrorPolicy#SKIP_TOPIC}. Deleting a source topic does not delete its destination topic.
 * Called from one thread.
 */
public final class TopicWatcher {

    private static final Logger log = LoggerFactory.getLogger(TopicWatcher.class);

    private final Admin sourceAdmin;
    private final TopicFilter filter;
    private final TopicNaming naming;
    private final DestinationTopics destinationTopics;
    private final TopicConfigSync configSync;
    private final TopicErrorPolicy errorPolicy;
    private final MirrorCounters counters;
    private final Consumer<Subscription> publish;
    private Subscription current = Subscription.NONE;
    private Map<String, String> skipped = Map.of();

    /**
     * @param configSync null when configs are not synced
     * @param publish    receives every new subscription
     */
    public TopicWatcher(Admin sourceAdmin, TopicFilter filter, TopicNaming naming, DestinationTopics destinationTopics,
            TopicConfigSync configSync, TopicErrorPolicy errorPolicy, MirrorCounters counters,
            Consumer<Subscription> publish) {
        this.sourceAdmin = sourceAdmin;
        this.filter = filter;
        this.naming = naming;
        this.destinationTopics = destinationTopics;
        this.configSync = configSync;
        this.errorPolicy = errorPolicy;
        this.counters = counters;
        this.publish = publish;
    }

    /** The source topics that match the filter now, with their partition counts. */
    public static Map<String, Integer> matchingTopics(Admin admin, TopicFilter filter) throws InterruptedException {
        Set<String> names = AdminCalls.get(admin.listTopics(new ListTopicsOptions().listInternal(false)).names(),
                "listing the source's topics");
        Set<String> matching = new TreeSet<>();
        for (String name : names) {
            if (!InternalTopics.isInternal(name) && filter.matches(name)) {
                matching.add(name);
            }
        }
        Map<String, Integer> partitions = new TreeMap<>();
        if (!matching.isEmpty()) {
            Map<String, TopicDescription> descriptions = AdminCalls.get(admin.describeTopics(matching).allTopicNames(),
                    "describing the source's topics");
            descriptions.forEach((name, d) -> partitions.put(name, d.partitions().size()));
        }
        return partitions;
    }

    /**
     * Scans once and publishes the topics whose destinations are ready, if that set changed.
     *
     * @throws KafkaException for a topic the destination refuses, under {@link TopicErrorPolicy#FAIL}
     */
    public void refresh() throws InterruptedException {
        Map<String, Integer> matching = matchingTopics(sourceAdmin, filter);
        Map<String, KafkaException> failures = new TreeMap<>();
        Map<String, String> destinationOf = name(matching.keySet(), failures);
        Map<String, Map<String, String>> configs = configSync == null ? Map.of()
                : configSync.desired(destinationOf.keySet(), failures);
        if (errorPolicy == TopicErrorPolicy.FAIL && !failures.isEmpty()) {
            handle(failures); // before anything is created
        }

        List<TopicPlan> plans = new ArrayList<>();
        destinationOf.forEach((source, destination) -> {
            if (!failures.containsKey(source)) {
                plans.add(new TopicPlan(source, destination, matching.get(source), configs.getOrDefault(source, Map.of())));
            }
        });
        failures.putAll(destinationTopics.ensure(plans));
        if (configSync != null) {
            Map<String, Map<String, String>> desired = new HashMap<>();
            Map<String, String> sourceOf = new HashMap<>();
            plans.stream().filter(p -> !failures.containsKey(p.source())).forEach(p -> {
                desired.put(p.destination(), p.configs());
                sourceOf.put(p.destination(), p.source());
            });
            configSync.apply(desired, sourceOf, failures);
        }
        handle(failures);

        Set<String> ready = new TreeSet<>();
        for (String source : destinationOf.keySet()) {
            if (!failures.containsKey(source) && destinationTopics.route(source).isPresent()) {
                ready.add(source);
            }
        }
        counters.topics(skipped, destinationTopics.oversized());
        if (!ready.equals(current.topics())) {
            Set<String> added = new TreeSet<>(ready);
            added.removeAll(current.topics());
            current = new Subscription(current.version() + 1, ready);
            log.info("Mirroring {} source topics{}", ready.size(), added.isEmpty() ? "" : ", new: " + added);
            publish.accept(current);
        }
    }

    /** Each source topic's destination name; a name that cannot be used, or is used twice, is a failure. */
    private Map<String, String> name(Set<String> sources, Map<String, KafkaException> failures) {
        Map<String, String> destinationOf = new TreeMap<>();
        Map<String, String> sourceOf = new HashMap<>();
        for (String source : sources) {
            String destination;
            try {
                destination = naming.destinationTopic(source);
            } catch (RuntimeException e) {
                failures.put(source, new KafkaException("topicNaming threw for source topic " + source + ": " + e, e));
                continue;
            }
            String problem = problemWith(destination);
            if (problem != null) {
                failures.put(source, new KafkaException("topicNaming maps source topic " + source + " onto " + problem));
            } else if (sourceOf.containsKey(destination)) {
                String other = sourceOf.get(destination);
                KafkaException clash = new KafkaException("topicNaming maps source topics " + other + " and " + source
                        + " onto one destination topic " + destination + "; their records would be mixed: make the naming one-to-one");
                failures.put(source, clash);
                failures.put(other, clash);
                destinationOf.remove(other);
            } else {
                sourceOf.put(destination, source);
                destinationOf.put(source, destination);
            }
        }
        return destinationOf;
    }

    private static String problemWith(String destination) {
        if (destination == null || destination.isBlank()) {
            return "an empty name";
        }
        if (InternalTopics.isInternal(destination)) {
            return "'" + destination + "', a name reserved for internal topics";
        }
        if (destination.length() > 249 || destination.equals(".") || destination.equals("..")
                || !destination.matches("[a-zA-Z0-9._-]+")) {
            return "'" + destination + "', which is not a legal topic name (at most 249 letters, digits, '.', '_' and '-')";
        }
        return null;
    }

    private void handle(Map<String, KafkaException> failures) {
        if (failures.isEmpty()) {
            skipped = Map.of();
            return;
        }
        if (errorPolicy == TopicErrorPolicy.FAIL) {
            KafkaException first = failures.values().iterator().next();
            throw new KafkaException(first.getMessage() + (failures.size() > 1 ? " (and " + (failures.size() - 1)
                    + " more topics failed: " + failures.keySet() + ")" : ""), first.getCause() != null ? first.getCause() : first);
        }
        Map<String, String> now = new TreeMap<>();
        failures.forEach((topic, e) -> {
            now.put(topic, e.getMessage());
            if (!e.getMessage().equals(skipped.get(topic))) {
                log.warn("Not mirroring source topic {} for now (onTopicError SKIP_TOPIC; tried again at the next refresh): {}",
                        topic, e.getMessage());
            }
        });
        skipped = now;
    }
}
