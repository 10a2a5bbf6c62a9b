package io.kmirror.testkit.internal;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a cluster builder was given, checked by it: see {@code io.kmirror.testkit.ClusterBuilder}.
 *
 * @param brokers      the number of brokers
 * @param brokerConfig broker settings, in the order given
 * @param waitTimeout  the upper bound of every wait
 * @param name         the label for messages, or null for the cluster id
 * @param security     SASL users and TLS; {@link ClusterSecurity#NONE} for a PLAINTEXT cluster
 */
public record ClusterSettings(int brokers, Map<String, Object> brokerConfig, Duration waitTimeout, String name,
        ClusterSecurity security) {

    /** Copies the broker settings. */
    public ClusterSettings {
        brokerConfig = Collections.unmodifiableMap(new LinkedHashMap<>(brokerConfig));
    }

    @Override
    public String toString() {
        return "brokers=" + brokers + ", brokerConfig=" + brokerConfig + ", waitTimeout=" + waitTimeout
                + (name == null ? "" : ", name=" + name) + (security.isSecured() ? ", security=" + security : "");
    }
}
