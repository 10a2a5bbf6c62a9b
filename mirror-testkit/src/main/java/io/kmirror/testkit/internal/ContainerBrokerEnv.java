package io.kmirror.testkit.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns broker settings into the environment variables of the {@code apache/kafka} image, which reads
 * {@code KAFKA_<KEY>} with {@code .} written as {@code _}, {@code _} as {@code __} and {@code -} as
 * {@code ___}.
 */
public final class ContainerBrokerEnv {

    private ContainerBrokerEnv() {
    }

    /**
     * Returns the environment variable that sets a broker key, e.g. {@code KAFKA_LOG_RETENTION_MS} for
     * {@code log.retention.ms}.
     *
     * @param key a broker configuration key
     * @return the variable's name
     */
    public static String variable(String key) {
        return "KAFKA_" + key.replace("_", "__").replace("-", "___").replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /**
     * Returns the environment of a one-broker container: a cluster id of its own (the container
     * module's default id is the same for every container, which makes two clusters look like one),
     * new topics with one partition and one replica, then {@code overrides}.
     *
     * @param clusterId the cluster id to format the broker's storage with
     * @param overrides the user's broker settings
     * @return variable by name, a new map
     */
    public static Map<String, String> of(String clusterId, Map<String, Object> overrides) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CLUSTER_ID", clusterId);
        env.put(variable("num.partitions"), "1");
        env.put(variable("default.replication.factor"), "1");
        env.put(variable("transaction.state.log.num.partitions"), "5");
        env.put(variable("offsets.topic.num.partitions"), "5");
        overrides.forEach((key, value) -> env.put(variable(key), value.toString()));
        return env;
    }
}
