package io.kmirror.internal.produce;

import java.util.Optional;

/** Where each source topic's records go. Thread-safe. */
@FunctionalInterface
public interface DestinationRoutes {
    /** The route of {@code sourceTopic}, if its destination topic is ready. */
    Optional<DestinationRoute> route(String sourceTopic);
}
