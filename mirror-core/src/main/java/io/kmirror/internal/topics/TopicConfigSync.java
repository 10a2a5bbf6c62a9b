package io.kmirror.internal.topics;

import io.kmirror.internal.ClusterAccess;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps destination topics' configs equal to their source topics' topic-level overrides, except the
 * keys that must stay local to a cluster. Overrides are what a topic has beyond its broker's
 * defaults ({@code cleanup.policy=compact}, {@code retention.ms}, ...); broker-level settings are
 * each cluster's own business. Called from one thread.
 */
public final class TopicConfigSync {

    private static final Logger log = LoggerFactory.getLogger(TopicConfigSync.class);

    private final Admin sourceAdmin;
    private final Admin destinationAdmin;
    private final Set<String> excluded;
    private final ClusterAccess sourceAccess;
    private final ClusterAccess destinationAccess;

    /**
     * @param excluded keys never copied; a key ending in {@code *} stands for every key with that prefix
     */
    public TopicConfigSync(Admin sourceAdmin, Admin destinationAdmin, Set<String> excluded, ClusterAccess sourceAccess,
            ClusterAccess destinationAccess) {
        this.sourceAdmin = sourceAdmin;
        this.destinationAdmin = destinationAdmin;
        this.excluded = Set.copyOf(excluded);
        this.sourceAccess = sourceAccess;
        this.destinationAccess = destinationAccess;
    }

    /** Whether {@code key} is never copied. */
    boolean isExcluded(String key) {
        for (String pattern : excluded) {
            if (pattern.endsWith("*") ? key.startsWith(pattern.substring(0, pattern.length() - 1)) : key.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The configs each source topic's destination should have: its topic-level overrides, less the
     * excluded keys.
     *
     * @param failures receives, per source topic, why its configs could not be read
     */
    public Map<String, Map<String, String>> desired(Collection<String> sourceTopics, Map<String, KafkaException> failures)
            throws InterruptedException {
        Map<String, Map<String, String>> desired = new HashMap<>();
        Map<String, Config> configs = describe(sourceAdmin, sourceTopics, sourceAccess, failures);
        configs.forEach((topic, config) -> desired.put(topic, overrides(config)));
        return desired;
    }

    /**
     * Sets on each destination topic the configs it should have and removes synced overrides the source
     * no longer has.
     *
     * @param desired  per destination topic, the configs it should have
     * @param sourceOf per destination topic, its source topic (failures are reported by source topic)
     * @param failures receives, per source topic, why its destination could not be configured
     */
    public void apply(Map<String, Map<String, String>> desired, Map<String, String> sourceOf,
            Map<String, KafkaException> failures) throws InterruptedException {
        Map<String, KafkaException> byDestination = new HashMap<>();
        Map<String, Config> current = describe(destinationAdmin, desired.keySet(), destinationAccess, byDestination);
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
        current.forEach((topic, config) -> {
            List<AlterConfigOp> ops = operations(desired.get(topic), overrides(config));
            if (!ops.isEmpty()) {
                changes.put(new ConfigResource(ConfigResource.Type.TOPIC, topic), ops);
            }
        });
        if (!changes.isEmpty()) {
            Map<ConfigResource, KafkaFuture<Void>> futures = destinationAdmin.incrementalAlterConfigs(changes).values();
            for (Map.Entry<ConfigResource, Collection<AlterConfigOp>> change : changes.entrySet()) {
                String topic = change.getKey().name();
                try {
                    futures.get(change.getKey()).get(AdminCalls.TIMEOUT_MS, TimeUnit.MILLISECONDS);
                    log.info("Synced configs of destination topic {} with its source: {}", topic, describe(change.getValue()));
                } catch (ExecutionException e) {
                    byDestination.put(topic, destinationAccess.failure(e.getCause(), "ALTER_CONFIGS on topic " + topic,
                            () -> new KafkaException("the destination refused configs " + change.getValue() + " for topic " + topic
                                    + ": " + e.getCause(), e.getCause())));
                } catch (TimeoutException e) {
                    byDestination.put(topic, new KafkaException("altering configs of destination topic " + topic + " timed out", e));
                }
            }
        }
        byDestination.forEach((topic, e) -> failures.put(sourceOf.getOrDefault(topic, topic), e));
    }

    private static String describe(Collection<AlterConfigOp> ops) {
        return ops.stream().map(op -> op.opType() == AlterConfigOp.OpType.DELETE
                ? op.configEntry().name() + " back to the default"
                : op.configEntry().name() + "=" + op.configEntry().value()).toList().toString();
    }

    private List<AlterConfigOp> operations(Map<String, String> desired, Map<String, String> current) {
        List<AlterConfigOp> ops = new ArrayList<>();
        desired.forEach((key, value) -> {
            if (!value.equals(current.get(key))) {
                ops.add(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET));
            }
        });
        current.keySet().stream().filter(key -> !desired.containsKey(key))
                .forEach(key -> ops.add(new AlterConfigOp(new ConfigEntry(key, ""), AlterConfigOp.OpType.DELETE)));
        return ops;
    }

    /** The topic-level overrides in {@code config} that are synced (not excluded, not secret, not read-only). */
    private Map<String, String> overrides(Config config) {
        Map<String, String> overrides = new TreeMap<>();
        for (ConfigEntry entry : config.entries()) {
            if (entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG && !entry.isSensitive()
                    && !entry.isReadOnly() && entry.value() != null && !isExcluded(entry.name())) {
                overrides.put(entry.name(), entry.value());
            }
        }
        return overrides;
    }

    private static Map<String, Config> describe(Admin admin, Collection<String> topics, ClusterAccess access,
            Map<String, KafkaException> failures) throws InterruptedException {
        String side = access.side().toString();
        Map<String, Config> configs = new HashMap<>();
        if (topics.isEmpty()) {
            return configs;
        }
        List<ConfigResource> resources = topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<ConfigResource, KafkaFuture<Config>> futures = admin.describeConfigs(resources).values();
        for (ConfigResource resource : resources) {
            try {
                configs.put(resource.name(), futures.get(resource).get(AdminCalls.TIMEOUT_MS, TimeUnit.MILLISECONDS));
            } catch (ExecutionException e) {
                failures.put(resource.name(), access.failure(e.getCause(), "DESCRIBE_CONFIGS on topic " + resource.name(),
                        () -> new KafkaException("cannot read the configs of " + side + " topic " + resource.name() + ": "
                                + e.getCause(), e.getCause())));
            } catch (TimeoutException e) {
                failures.put(resource.name(), new KafkaException("reading the configs of " + side + " topic "
                        + resource.name() + " timed out", e));
            }
        }
        return configs;
    }
}
