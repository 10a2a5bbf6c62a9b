package io.kmirror.internal.topics;

import io.kmirror.Gap;
import io.kmirror.GapException;
import io.kmirror.GapPolicy;
import io.kmirror.TopicErrorPolicy;
import io.kmirror.TopicFilter;
import io.kmirror.TopicNaming;
import io.kmirror.internal.ClusterAccess;
import io.kmirror.internal.Faults;
import io.kmirror.internal.MirrorCounters;
import io.kmirror.internal.filter.InternalTopics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mirror's topic sync, run every topic refresh interval: finds the source topics that match the
 * filter, names their destination topics, has those created or grown and their configs synced, and
 * only then publishes them as the streams' subscription, so no record is sent to a topic that is not
 * ready. A topic the destination refuses stops the mirror, or is left out under
 * {@link TopicErrorPolicy#SKIP_TOPIC}; a refusal of either cluster (failed authentication, a missing ACL)
 * stops the mirror under every policy, since no later scan can do better. With ACL sync on, the ACLs of
 * the mirrored topics are synced last ({@link AclSync}). Deleting a source topic does not delete its
 * destination topic.
 * A source topic whose id differs from the one the {@link TopicRegistry} recorded was deleted and
 * recreated: under {@link GapPolicy#FAIL} the mirror stops before anything of the new topic is sent;
 * under {@link GapPolicy#RECORD_AND_CONTINUE} the gap is reported and the new id published, so the
 * streams go on from the new topic's beginning. Called from one thread.
 */
public final class TopicWatcher {

    private static final Logger log = LoggerFactory.getLogger(TopicWatcher.class);

    private final Admin sourceAdmin;
    private final ClusterAccess sourceAccess;
    private volatile TopicFilter filter;
    private final TopicNaming naming;
    private final DestinationTopics destinationTopics;
    private final TopicConfigSync configSync;
    private final TopicErrorPolicy errorPolicy;
    private final MirrorCounters counters;
    private final TopicRegistry registry;
    private final String sourceClusterId;
    private final GapPolicy gapPolicy;
    private final boolean syncConfigsOfExistingTopics;
    private final Consumer<Subscription> publish;
    private final AclSync aclSync;
    private Subscription current = Subscription.NONE;
    private Map<String, String> skipped = Map.of();
    /** Per source topic, the transient failure that keeps it from being mirrored until a later scan. */
    private Map<String, String> retrying = Map.of();

    /**
     * @param configSync null when configs are not synced
     * @param publish    receives every new subscription
     * @param aclSync    null when ACLs are not synced
     */
    public TopicWatcher(Admin sourceAdmin, ClusterAccess sourceAccess, TopicFilter filter, TopicNaming naming,
            DestinationTopics destinationTopics, TopicConfigSync configSync, TopicErrorPolicy errorPolicy, MirrorCounters counters,
            TopicRegistry registry, String sourceClusterId, GapPolicy gapPolicy, boolean syncConfigsOfExistingTopics,
            Consumer<Subscription> publish, AclSync aclSync) {
        this.sourceAdmin = sourceAdmin;
        this.sourceAccess = sourceAccess;
        this.filter = filter;
        this.naming = naming;
        this.destinationTopics = destinationTopics;
        this.configSync = configSync;
        this.errorPolicy = errorPolicy;
        this.counters = counters;
        this.registry = registry;
        this.sourceClusterId = sourceClusterId;
        this.gapPolicy = gapPolicy;
        this.syncConfigsOfExistingTopics = syncConfigsOfExistingTopics;
        this.publish = publish;
        this.aclSync = aclSync;
    }

    /** From the next scan on, mirrors the topics {@code filter} matches. */
    public void filter(TopicFilter filter) {
        this.filter = filter;
    }

    /** The source topics that match the filter now, with their partition counts. */
    public static Map<String, Integer> matchingTopics(Admin admin, TopicFilter filter) throws InterruptedException {
        Map<String, Integer> partitions = new TreeMap<>();
        describeMatching(admin, filter).forEach((name, d) -> partitions.put(name, d.partitions().size()));
        return partitions;
    }

    /** The source topics that match the filter now, described (partitions, topic id). */
    public static Map<String, TopicDescription> describeMatching(Admin admin, TopicFilter filter) throws InterruptedException {
        Set<String> names = AdminCalls.get(admin.listTopics(new ListTopicsOptions().listInternal(false)).names(),
                "listing the source's topics");
        Set<String> matching = new TreeSet<>();
        for (String name : names) {
            if (!InternalTopics.isInternal(name) && filter.matches(name)) {
                matching.add(name);
            }
        }
        return matching.isEmpty() ? Map.of() : new TreeMap<>(AdminCalls.get(admin.describeTopics(matching).allTopicNames(),
                "describing the source's topics"));
    }

    /**
     * Scans once and publishes the topics whose destinations are ready, if that set changed. New destination
     * partitions are written to once their leaders answer ({@link #awaitDestinationLeaders}).
     *
     * @return whether some matching topics have no destination route yet or failed transiently (scan again soon)
     * @throws KafkaException for a topic the destination refuses, under {@link TopicErrorPolicy#FAIL}
     */
    public boolean refresh() throws InterruptedException {
        Map<String, TopicDescription> descriptions;
        try {
            descriptions = describeMatching(sourceAdmin, filter);
        } catch (KafkaException e) {
            throw sourceAccess.named(e, "DESCRIBE on " + ClusterAccess.resource(e, "the matching topics"));
        }
        Map<String, Integer> matching = new TreeMap<>();
        descriptions.forEach((name, d) -> matching.put(name, d.partitions().size()));
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
            // the side that created a topic owns its configs: they follow the source only where kmirror created the
            // destination topic, unless asked otherwise (two mirrors of a two-way setup would overwrite each other)
            plans.stream().filter(p -> !failures.containsKey(p.source()))
                    .filter(p -> syncConfigsOfExistingTopics || destinationTopics.createdByKmirror(p.destination()))
                    .forEach(p -> {
                desired.put(p.destination(), p.configs());
                sourceOf.put(p.destination(), p.source());
            });
            configSync.apply(desired, sourceOf, failures);
        }
        handle(failures);

        Set<String> ready = new TreeSet<>();
        Map<String, Uuid> ids = new HashMap<>();
        for (String source : destinationOf.keySet()) {
            if (!failures.containsKey(source) && destinationTopics.route(source).isPresent()) {
                Uuid id = descriptions.get(source).topicId();
                checkNotRecreated(source, id);
                ready.add(source);
                ids.put(source, id);
            }
        }
        registry.recordSourceTopicIds(sourceClusterId, ids);
        destinationTopics.refreshLimits();
        counters.topics(skipped, destinationTopics.oversized());
        if (!ready.equals(current.topics()) || !ids.equals(current.topicIds())) {
            Set<String> added = new TreeSet<>(ready);
            added.removeAll(current.topics());
            if (!ready.equals(current.topics())) {
                log.info("Mirroring {} source topics{}", ready.size(), added.isEmpty() ? "" : ", new: " + added);
            }
            current = new Subscription(current.version() + 1, ready, ids);
            publish.accept(current);
        }
        if (aclSync != null) {
            Map<String, String> mirrored = new TreeMap<>(destinationOf);
            mirrored.keySet().retainAll(ready);
            aclSync.sync(mirrored); // last: a sync that times out delays no topic
        }
        return !retrying.isEmpty()
                || destinationOf.keySet().stream().anyMatch(source -> !failures.containsKey(source) && !ready.contains(source));
    }

    /**
     * Waits for the leaders of new destination partitions, each written to as soon as its leader answers (the
     * streams hold back those partitions' records until then); returns whether some have not answered yet.
     */
    public boolean awaitDestinationLeaders() throws InterruptedException {
        return destinationTopics.awaitWritable();
    }

    /** A source topic with another id than the one recorded was deleted and recreated: the gap policy decides. */
    private void checkNotRecreated(String source, Uuid id) {
        Optional<Uuid> recorded = registry.sourceTopicId(sourceClusterId, source);
        if (recorded.isEmpty() || recorded.get().equals(id)) {
            return;
        }
        Gap gap = new Gap(Gap.Kind.RECREATED, new TopicPartition(source, -1), -1, -1, Instant.now(), "source topic " + source
                + " was deleted and recreated (topic id " + recorded.get() + " is now " + id + "): records of the old topic not"
                + " mirrored before its deletion are lost, and the new topic's records would follow the old ones in destination"
                + " topic " + naming.destinationTopic(source));
        if (gapPolicy == GapPolicy.FAIL) {
            throw new GapException(gap);
        }
        log.warn("{}; mirroring the new topic from its beginning (onGap RECORD_AND_CONTINUE)", gap.description());
        counters.gap(gap);
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

    /**
     * A refused login or permission fails the mirror; a transient failure (a broker that has not yet applied a
     * new topic, a timeout) leaves its topic for the next scan under every policy; any other failure is what
     * {@link TopicErrorPolicy} decides about.
     */
    private void handle(Map<String, KafkaException> failures) {
        Map<String, KafkaException> refusals = new TreeMap<>();
        Map<String, String> retryingNow = new TreeMap<>();
        for (Map.Entry<String, KafkaException> failure : failures.entrySet()) {
            KafkaException e = failure.getValue();
            if (Faults.isFatal(e)) {
                throw e; // skipping the topic would only hide it
            }
            if (Faults.isTransient(e)) {
                retryingNow.put(failure.getKey(), e.getMessage());
            } else {
                refusals.put(failure.getKey(), e);
            }
        }
        retryingNow.forEach((topic, message) -> {
            if (!message.equals(retrying.get(topic))) {
                log.warn("Not mirroring source topic {} yet (a transient failure, tried again at the next scan): {}", topic,
                        message);
            }
        });
        retrying = retryingNow;
        if (refusals.isEmpty()) {
            skipped = Map.of();
            return;
        }
        if (errorPolicy == TopicErrorPolicy.FAIL) {
            KafkaException first = refusals.values().iterator().next();
            throw new KafkaException(first.getMessage() + (refusals.size() > 1 ? " (and " + (refusals.size() - 1)
                    + " more topics failed: " + refusals.keySet() + ")" : ""), first.getCause() != null ? first.getCause() : first);
        }
        Map<String, String> now = new TreeMap<>();
        refusals.forEach((topic, e) -> {
            now.put(topic, e.getMessage());
            if (!e.getMessage().equals(skipped.get(topic))) {
                log.warn("Not mirroring source topic {} for now (onTopicError SKIP_TOPIC; tried again at the next refresh): {}",
                        topic, e.getMessage());
            }
        });
        skipped = now;
    }
}
