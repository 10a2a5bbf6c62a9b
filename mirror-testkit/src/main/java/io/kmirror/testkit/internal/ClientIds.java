package io.kmirror.testkit.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Client ids of the kit's own clients: {@code kmirror-testkit-<cluster>-<role>-<n>}. Kafka names a
 * client's threads after it ({@code kafka-producer-network-thread | kmirror-testkit-...}), so they
 * never look like a mirror's threads ({@code kmirror-<group>-...}).
 */
public final class ClientIds {

    private static final AtomicLong COUNTER = new AtomicLong();

    private ClientIds() {
    }

    /**
     * Returns a new client id, unique in this JVM.
     *
     * @param clusterId the cluster the client talks to
     * @param role what the client does: admin, producer, reader, ...
     * @return the client id
     */
    public static String next(String clusterId, String role) {
        return "kmirror-testkit-" + clusterId + "-" + role + "-" + COUNTER.incrementAndGet();
    }
}
