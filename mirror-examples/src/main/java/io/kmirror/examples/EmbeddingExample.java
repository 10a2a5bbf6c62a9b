package io.kmirror.examples;

import io.kmirror.Mirror;
import io.kmirror.TopicFilter;
import java.time.Duration;
import java.util.Map;

/**
 * The README's embedding example, compiled and run by the tests so that it stays true. The region
 * between the {@code snippet} markers is what README.md shows.
 */
public final class EmbeddingExample {

    private EmbeddingExample() {
    }

    /** Mirrors {@code orders*} topics (but not {@code *-internal} ones) until the host closes the mirror. */
    public static Mirror startOrdersMirror(String sourceServers, String destinationServers) throws InterruptedException {
        // snippet:start embedding
        Mirror mirror = Mirror.builder()
                .source(Map.of("bootstrap.servers", sourceServers))
                .destination(Map.of("bootstrap.servers", destinationServers))
                .topics(TopicFilter.include("orders.*").exclude(".*-internal"))
                .groupId("orders-mirror")
                .streams(4)
                .build();            // throws MirrorConfigException listing every problem
        mirror.start();              // returns at once; the mirror owns its threads

        boolean caughtUp = mirror.awaitCaughtUp(Duration.ofSeconds(30));  // e.g. before a cut-over
        System.out.println("caught up: " + caughtUp + ", " + mirror.metrics().recordsMirrored() + " records mirrored");
        // ... and when the host shuts down: mirror.close();
        // snippet:end embedding
        return mirror;
    }
}
