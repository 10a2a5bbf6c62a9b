package io.kmirror.testkit.internal;

import io.kmirror.testkit.TestKafkaCluster;
import io.kmirror.testkit.TestKafkaClusters;

import java.util.function.Consumer;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A source and a destination cluster, started together and closed together; JUnit closes it with the
 * extension-context store that holds it. JUnit 5.13+ closes stored {@code AutoCloseable} values, older
 * versions a {@code CloseableResource}; closing twice does no harm.
 *
 * @param source the source cluster
 * @param destination the destination cluster
 */
@SuppressWarnings("deprecation") // CloseableResource, deprecated since JUnit 5.13, for older JUnit versions
public record ClusterPair(TestKafkaCluster source, TestKafkaCluster destination)
        implements AutoCloseable, ExtensionContext.Store.CloseableResource {

    /**
     * Starts both clusters as the settings say (the configured kind unless a side names an image),
     * named {@code "source"} and {@code "destination"}; if the destination does not start, closes the source.
     *
     * @param settings the settings of both sides
     * @return the running pair
     */
    public static ClusterPair start(PairSettings settings) {
        TestKafkaCluster source = start("source", settings.source());
        try {
            return new ClusterPair(source, start("destination", settings.destination()));
        } catch (RuntimeException | Error e) {
            try {
                source.close();
            } catch (RuntimeException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    private static TestKafkaCluster start(String name, Consumer<TestKafkaClusters.Builder> setUp) {
        TestKafkaClusters.Builder builder = TestKafkaClusters.builder().name(name);
        setUp.accept(builder);
        return builder.start();
    }

    /** Closes the destination, then the source, even if the first close fails. */
    @Override
    public void close() {
        try {
            destination.close();
        } finally {
            source.close();
        }
    }
}
