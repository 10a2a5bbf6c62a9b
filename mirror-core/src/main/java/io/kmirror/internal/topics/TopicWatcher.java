package io.kmirror.internal.topics;

import io.kmirror.TopicFilter;
import io.kmirror.internal.filter.InternalTopics;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the source topics that match the filter, has their destination topics made writable, and
 * only then publishes them as the streams' subscription, so no record is sent to a topic that a
 * broker would auto-create with the wrong partition count. Called from one thread.
 */
public final class TopicWatcher {

    private static final Logger log = LoggerFactory.getLogger(TopicWatcher.class);
    private static final long CALL_TIMEOUT_MS = 30_000;

    private final Admin sourceAdmin;
    private final TopicFilter filter;
    private final DestinationTopics destinationTopics;
    private final Consumer<Subscription> publish;
    private Subscription current = Subscription.NONE;

    /** Watches the source through {@code sourceAdmin}; hands every new subscription to {@code publish}. */
    public TopicWatcher(Admin sourceAdmin, TopicFilter filter, DestinationTopics destinationTopics,
            Consumer<Subscription> publish) {
        this.sourceAdmin = sourceAdmin;
        this.filter = filter;
        this.destinationTopics = destinationTopics;
        this.publish = publish;
    }

    /** The source topics that match the filter now, with their partition counts. */
    public static Map<String, Integer> matchingTopics(Admin admin, TopicFilter filter) throws InterruptedException {
        try {
            Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(false))
                    .names().get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            Set<String> matching = new TreeSet<>();
            for (String name : names) {
                if (!InternalTopics.isInternal(name) && filter.matches(name)) {
                    matching.add(name);
                }
            }
            Map<String, Integer> partitions = new TreeMap<>();
            if (!matching.isEmpty()) {
                Map<String, TopicDescription> descriptions = admin.describeTopics(matching)
                        .allTopicNames().get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                descriptions.forEach((name, d) -> partitions.put(name, d.partitions().size()));
            }
            return partitions;
        } catch (ExecutionException e) {
            throw new KafkaException("cannot list the source's topics: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("listing the source's topics timed out after " + CALL_TIMEOUT_MS + " ms", e);
        }
    }

    /** Scans once: ensures destination topics of new matching topics, then publishes the new set if it changed. */
    public void refresh() throws InterruptedException {
        Map<String, Integer> matching = matchingTopics(sourceAdmin, filter);
        destinationTopics.ensure(matching);
        if (!matching.keySet().equals(current.topics())) {
            Set<String> added = new TreeSet<>(matching.keySet());
            added.removeAll(current.topics());
            current = new Subscription(current.version() + 1, matching.keySet());
            log.info("Mirroring {} source topics{}", matching.size(), added.isEmpty() ? "" : ", new: " + added);
            publish.accept(current);
        }
    }
}
