package io.kmirror.testkit.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;

/**
 * One {@link Admin} client of a cluster, created at the first call of {@link #get()} and closed by
 * {@link #close()}. Thread-safe.
 */
public final class SharedAdmin implements AutoCloseable {

    private final Map<String, Object> clientConfig;
    private final String clusterId;
    private Admin admin; // guarded by this
    private boolean closed; // guarded by this

    /**
     * @param clientConfig the cluster's client settings: bootstrap servers, and security if any
     * @param clusterId the cluster's id, for the client id
     */
    public SharedAdmin(Map<String, Object> clientConfig, String clusterId) {
        this.clientConfig = Map.copyOf(clientConfig);
        this.clusterId = clusterId;
    }

    /**
     * Returns the admin client, creating it at the first call.
     *
     * @return the shared admin client; callers must not close it
     * @throws IllegalStateException after {@link #close()}
     */
    public synchronized Admin get() {
        if (closed) {
            throw new IllegalStateException("the admin client of cluster " + clusterId + " is closed");
        }
        if (admin == null) {
            Map<String, Object> config = new HashMap<>(clientConfig);
            config.put(CommonClientConfigs.CLIENT_ID_CONFIG, ClientIds.next(clusterId, "admin"));
            admin = Admin.create(config);
        }
        return admin;
    }

    /** Closes the admin client if it was created, waiting at most 10 s. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (admin != null) {
            admin.close(Duration.ofSeconds(10));
            admin = null;
        }
    }
}
