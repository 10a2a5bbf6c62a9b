package io.kmirror.testkit;

import java.util.Objects;

/**
 * A topic on a cluster, as a value: what {@link MirrorAssertions} compare ({@code source.topic("orders")}).
 * Creating one checks and creates nothing.
 *
 * @param cluster the cluster
 * @param name the topic's name
 */
public record ClusterTopic(TestKafkaCluster cluster, String name) {

    /**
     * @param cluster the cluster, not null
     * @param name the topic's name, not null
     */
    public ClusterTopic {
        Objects.requireNonNull(cluster, "cluster must not be null");
        Objects.requireNonNull(name, "name must not be null");
    }

    /** Returns {@code "<topic> on <cluster name>"}, the form failure messages use. */
    @Override
    public String toString() {
        return name + " on " + cluster.name();
    }
}
