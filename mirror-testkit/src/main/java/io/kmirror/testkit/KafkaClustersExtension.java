package io.kmirror.testkit;

import java.util.Objects;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives a test class two running clusters, a source and a destination, each an
 * {@link EmbeddedKafkaCluster} of its own.
 *
 * @deprecated Use {@link MirrorClusters} (or {@code @ExtendWith(MirrorClustersExtension.class)}): it
 *     injects {@link TestKafkaCluster}s of the configured kind into parameters and fields, per class or
 *     per method, with broker count and settings, and fails a test that leaks a mirror. This extension
 *     keeps working as it did, embedded clusters only.
 *
 * <p>Guarantees: the clusters start once per top-level test class (its {@code @Nested} classes share
 * them), before the first constructor, {@code @BeforeAll} method or test that asks for one, and are
 * closed after the class, when JUnit closes the class's {@link ExtensionContext.Store}. Every test of
 * the class sees the same two clusters; tests should use {@link Topics#unique(String)} topic names.
 *
 * <p>Two ways to use it, which can be combined:
 * <pre>{@code
 * @ExtendWith(KafkaClustersExtension.class)
 * class MirrorIT {
 *     @Test
 *     void mirrors(@Source EmbeddedKafkaCluster source, @Destination EmbeddedKafkaCluster destination) { ... }
 * }
 *
 * class OtherMirrorIT {
 *     @RegisterExtension
 *     static KafkaClustersExtension clusters = new KafkaClustersExtension();
 *
 *     @Test
 *     void mirrors() { clusters.source().createTopic("orders", 8); ... }
 * }
 * }</pre>
 * Parameters of test constructors, {@code @BeforeAll}, {@code @BeforeEach}, {@code @AfterEach},
 * {@code @AfterAll} and test methods are resolved when they have type {@code EmbeddedKafkaCluster}
 * and carry {@link Source} or {@link Destination}. Register the extension once per class; with
 * {@code @RegisterExtension} the field must be static.
 */
@Deprecated
public final class KafkaClustersExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(KafkaClustersExtension.class);

    private final EmbeddedKafkaCluster.Builder sourceSettings;
    private final EmbeddedKafkaCluster.Builder destinationSettings;
    private volatile Clusters current;

    /** Creates an extension whose source and destination are one-broker clusters with default settings. */
    public KafkaClustersExtension() {
        this(EmbeddedKafkaCluster.builder(), EmbeddedKafkaCluster.builder());
    }

    /**
     * Creates an extension that starts its clusters with these settings, e.g.
     * {@code new KafkaClustersExtension(EmbeddedKafkaCluster.builder(), EmbeddedKafkaCluster.builder().brokers(3))}.
     * The builders must not be changed afterwards.
     *
     * @param source settings of the source cluster
     * @param destination settings of the destination cluster
     */
    public KafkaClustersExtension(EmbeddedKafkaCluster.Builder source, EmbeddedKafkaCluster.Builder destination) {
        this.sourceSettings = Objects.requireNonNull(source, "source");
        this.destinationSettings = Objects.requireNonNull(destination, "destination");
    }

    /**
     * Returns the source cluster of the test class now running; for an extension registered with
     * {@code @RegisterExtension} on a static field.
     *
     * @return the running source cluster
     * @throws IllegalStateException before the class's {@code @BeforeAll} phase
     */
    public EmbeddedKafkaCluster source() {
        return started().source();
    }

    /**
     * Returns the destination cluster of the test class now running; for an extension registered with
     * {@code @RegisterExtension} on a static field.
     *
     * @return the running destination cluster
     * @throws IllegalStateException before the class's {@code @BeforeAll} phase
     */
    public EmbeddedKafkaCluster destination() {
        return started().destination();
    }

    /**
     * Starts the clusters of the test class, unless a parameter of its constructor already did.
     *
     * @param context the class's context
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        current = clustersOf(context);
    }

    /**
     * Supports parameters of type {@link EmbeddedKafkaCluster} annotated with {@link Source} or
     * {@link Destination}.
     *
     * @param parameterContext the parameter
     * @param extensionContext the current context
     * @return whether this extension fills the parameter
     */
    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == EmbeddedKafkaCluster.class
                && (parameterContext.isAnnotated(Source.class) || parameterContext.isAnnotated(Destination.class));
    }

    /**
     * Returns the source or destination cluster of the test class, starting both if needed.
     *
     * @param parameterContext the parameter
     * @param extensionContext the current context
     * @return the running cluster the parameter's annotation names
     */
    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Clusters clusters = clustersOf(extensionContext);
        return parameterContext.isAnnotated(Source.class) ? clusters.source() : clusters.destination();
    }

    private Clusters started() {
        Clusters clusters = current;
        if (clusters == null) {
            throw new IllegalStateException("the clusters are not started yet: register KafkaClustersExtension"
                    + " on a static field with @RegisterExtension (or use @Source / @Destination parameters)"
                    + " and call source() / destination() from @BeforeAll or later");
        }
        return clusters;
    }

    /** The clusters live in the store of the top-level test class, so JUnit closes them after it. */
    private Clusters clustersOf(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getParent().flatMap(ExtensionContext::getTestClass).isPresent()) {
            classContext = classContext.getParent().get();
        }
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(this,
                key -> Clusters.start(sourceSettings, destinationSettings), Clusters.class);
    }

    /**
     * Both clusters, closed by JUnit when the class's store closes: JUnit 5.13+ closes stored
     * {@code AutoCloseable} values (unless {@code junit.jupiter.extensions.store.close.autocloseable.enabled}
     * is false), older versions, or that setting, close a {@code CloseableResource}. JUnit calls one of the
     * two, and closing twice does no harm.
     */
    @SuppressWarnings("deprecation") // CloseableResource, deprecated since JUnit 5.13, for older JUnit versions
    private record Clusters(EmbeddedKafkaCluster source, EmbeddedKafkaCluster destination)
            implements AutoCloseable, ExtensionContext.Store.CloseableResource {

        static Clusters start(EmbeddedKafkaCluster.Builder sourceSettings, EmbeddedKafkaCluster.Builder destinationSettings) {
            EmbeddedKafkaCluster source = sourceSettings.start();
            try {
                return new Clusters(source, destinationSettings.start());
            } catch (RuntimeException | Error e) {
                try {
                    source.close();
                } catch (RuntimeException closeFailure) {
                    e.addSuppressed(closeFailure);
                }
                throw e;
            }
        }

        @Override
        public void close() {
            try {
                destination.close();
            } finally {
                source.close();
            }
        }
    }
}
