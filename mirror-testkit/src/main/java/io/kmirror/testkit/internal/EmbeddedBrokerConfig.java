package io.kmirror.testkit.internal;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings that make an in-JVM cluster small and quick: internal topics with few partitions and a
 * replication factor the cluster can hold, no initial rebalance delay. The user's settings win.
 */
public final class EmbeddedBrokerConfig {

    private EmbeddedBrokerConfig() {
    }

    /**
     * Returns the configuration of every node: internal topics get replication factor
     * {@code min(brokers, 3)} and a {@code min.isr} one less (at least 1), so transactions keep
     * working while one broker of three is down; then {@code overrides}.
     *
     * @param brokers the number of brokers
     * @param overrides the user's broker settings
     * @return a new map
     */
    public static Map<String, Object> brokers(int brokers, Map<String, Object> overrides) {
        int replication = Math.min(brokers, 3);
        int minIsr = Math.max(1, replication - 1);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("offsets.topic.replication.factor", replication);
        config.put("offsets.topic.num.partitions", 5);
        config.put("transaction.state.log.replication.factor", replication);
        config.put("transaction.state.log.min.isr", minIsr);
        config.put("transaction.state.log.num.partitions", 5);
        config.put("share.coordinator.state.topic.replication.factor", replication);
        config.put("share.coordinator.state.topic.min.isr", minIsr);
        config.put("share.coordinator.state.topic.num.partitions", 5);
        config.put("group.initial.rebalance.delay.ms", 0);
        config.replaceAll((key, value) -> value.toString());
        config.putAll(overrides);
        return config;
    }

    /**
     * Returns the defaults of new topics, which the controller applies: set on the controller's node
     * only, since a broker-only node warns that it ignores them. A key the user set is left out.
     *
     * @param brokers the number of brokers
     * @param overrides the user's broker settings
     * @return a new map
     */
    public static Map<String, String> controller(int brokers, Map<String, Object> overrides) {
        Map<String, String> config = new HashMap<>();
        config.put("default.replication.factor", Integer.toString(Math.min(brokers, 3)));
        config.put("num.partitions", "1");
        config.keySet().removeAll(overrides.keySet());
        return config;
    }
}
