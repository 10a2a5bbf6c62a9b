package io.kmirror.testkit;

import io.kmirror.testkit.internal.ClusterFields;
import io.kmirror.testkit.internal.ClusterPair;
import io.kmirror.testkit.internal.PairSettings;
import io.kmirror.testkit.internal.MirrorThreads;
import io.kmirror.testkit.internal.RecentMirrorEvents;
import io.kmirror.testkit.internal.UncaughtExceptionRecorder;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.platform.commons.support.AnnotationSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JUnit 5 extension behind {@link MirrorClusters}: it gives a test class a source and a destination
 * {@link TestKafkaCluster} and checks that the test left no mirror behind.
 *
 * <p><b>Clusters.</b> Parameters of constructors, lifecycle methods and test methods, and fields (static
 * or not), annotated with {@link Source} or {@link Destination} and of type {@link TestKafkaCluster} (or
 * the implementation the configured kind starts, e.g. {@link EmbeddedKafkaCluster}) receive the running
 * clusters. By default the two clusters start once per top-level class, when first needed, and close
 * after it; with {@link MirrorClusters#perMethod()} each test method gets two of its own, closed after
 * it (then they are not available in {@code @BeforeAll} or static fields). The clusters are named
 * {@code "source"} and {@code "destination"} in failure messages. When the configured kind is
 * {@code container} and Testcontainers finds no Docker engine, the class's tests are skipped.
 *
 * <p><b>Checks after each test</b> (and after the class, for what {@code @BeforeAll} started), which fail
 * the test:
 * <ul>
 *   <li>a leaked mirror: a thread named {@code kmirror-*} that started during the test and is still
 *       alive 2 s after it (close every mirror the test starts, e.g. with try-with-resources);</li>
 *   <li>an uncaught exception: one that ended any thread during the test. To see them, the extension
 *       installs a JVM-wide default uncaught-exception handler for the duration of each test (it passes
 *       every exception on to the handler it replaced and puts that one back after the test); it is not
 *       meant for tests that run in parallel in one JVM.</li>
 * </ul>
 *
 * <p><b>Mirror events.</b> A test parameter of type {@link MirrorEventLog} receives a new log for that
 * test; pass it to {@code Mirror.builder().listener(..)}. When the test fails, the log's events are
 * added to the failure (as a suppressed exception, printed with it) and logged at WARN.
 *
 * <p>Also usable without the annotation, as {@code @ExtendWith(MirrorClustersExtension.class)}, with
 * the defaults of {@link MirrorClusters}.
 */
public final class MirrorClustersExtension implements BeforeAllCallback, AfterAllCallback, TestInstancePostProcessor,
        BeforeEachCallback, AfterEachCallback, ParameterResolver, TestExecutionExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(MirrorClustersExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(MirrorClustersExtension.class);
    private static final String CLUSTERS = "clusters";
    private static final String EVENT_LOG = "eventLog";
    private static final String THREADS_BEFORE = "mirrorThreadsBefore";
    private static final String UNCAUGHT = "uncaughtExceptionRecorder";
    private static final Duration LEAK_GRACE = Duration.ofSeconds(2);

    /** Created by JUnit, for {@link MirrorClusters} or {@code @ExtendWith}. */
    public MirrorClustersExtension() {
    }

    /**
     * Skips the class if it needs Docker and there is none; remembers the mirror threads alive; fills
     * static {@link Source} / {@link Destination} fields.
     *
     * @param context the class's context
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        skipWithoutDocker(context);
        context.getStore(NAMESPACE).put(THREADS_BEFORE, MirrorThreads.alive());
        List<Field> staticFields = ClusterFields.of(context.getRequiredTestClass(), true);
        if (!staticFields.isEmpty()) {
            if (settings(context).perMethod()) {
                throw new ExtensionConfigurationException("static field " + staticFields.get(0)
                        + " cannot hold clusters that exist per test method (@MirrorClusters(perMethod = true)); make it an instance field");
            }
            ClusterFields.inject(staticFields, null, clusters(context, "static field " + staticFields.get(0).getName()));
        }
    }

    /**
     * Fails if a mirror thread started by the class's {@code @BeforeAll} methods or tests is still alive.
     *
     * @param context the class's context
     */
    @Override
    public void afterAll(ExtensionContext context) {
        @SuppressWarnings("unchecked")
        Set<Thread> before = context.getStore(NAMESPACE).get(THREADS_BEFORE, Set.class);
        List<Thread> leaked = MirrorThreads.leakedSince(before == null ? Set.of() : before, LEAK_GRACE);
        if (!leaked.isEmpty()) {
            throw new AssertionError(leakMessage(leaked, "after the test class " + context.getDisplayName()));
        }
    }

    /**
     * Fills the instance fields annotated with {@link Source} / {@link Destination} of a new test
     * instance with the class's clusters (with per-method clusters, that happens before each test).
     *
     * @param testInstance the new instance
     * @param context the context it was created in
     */
    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) {
        List<Field> fields = ClusterFields.of(testInstance.getClass(), false);
        if (!fields.isEmpty() && !settings(context).perMethod()) {
            ClusterFields.inject(fields, testInstance, clusters(context, "field " + fields.get(0).getName()));
        }
    }

    /**
     * Fills instance fields with per-method clusters; remembers the mirror threads alive; starts
     * recording uncaught exceptions.
     *
     * @param context the test's context
     */
    @Override
    public void beforeEach(ExtensionContext context) {
        if (settings(context).perMethod()) {
            for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
                List<Field> fields = ClusterFields.of(instance.getClass(), false);
                if (!fields.isEmpty()) {
                    ClusterFields.inject(fields, instance, clusters(context, "field " + fields.get(0).getName()));
                }
            }
        }
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        store.put(THREADS_BEFORE, MirrorThreads.alive());
        store.put(UNCAUGHT, UncaughtExceptionRecorder.install());
    }

    /**
     * Stops recording uncaught exceptions, then fails the test if it leaked a mirror thread or a thread
     * died of an uncaught exception during it.
     *
     * @param context the test's context
     */
    @Override
    public void afterEach(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        UncaughtExceptionRecorder recorder = store.remove(UNCAUGHT, UncaughtExceptionRecorder.class);
        List<UncaughtExceptionRecorder.Uncaught> uncaught = List.of();
        if (recorder != null) {
            recorder.uninstall();
            uncaught = recorder.recorded();
        }
        @SuppressWarnings("unchecked")
        Set<Thread> before = store.remove(THREADS_BEFORE, Set.class);
        List<Thread> leaked = MirrorThreads.leakedSince(before == null ? Set.of() : before, LEAK_GRACE);
        List<String> problems = new ArrayList<>();
        if (!leaked.isEmpty()) {
            problems.add(leakMessage(leaked, "after the test"));
            context.getParent().ifPresent(parent -> knownToTheClass(parent, leaked)); // reported once, here
        }
        if (!uncaught.isEmpty()) {
            StringBuilder text = new StringBuilder(uncaught.size() + " thread(s) died of an uncaught exception during the test:");
            uncaught.forEach(u -> text.append("\n  ").append(u.thread()).append(": ").append(u.exception()));
            problems.add(text.toString());
        }
        if (!problems.isEmpty()) {
            AssertionError error = new AssertionError(String.join("\n", problems));
            uncaught.forEach(u -> error.addSuppressed(u.exception()));
            throw error;
        }
    }

    /**
     * Supports {@link Source} / {@link Destination} parameters of a {@link TestKafkaCluster} type, and
     * {@link MirrorEventLog} parameters.
     *
     * @param parameterContext the parameter
     * @param extensionContext the current context
     * @return whether this extension fills the parameter
     */
    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        if (type == MirrorEventLog.class) {
            return true;
        }
        return TestKafkaCluster.class.isAssignableFrom(type)
                && (parameterContext.isAnnotated(Source.class) || parameterContext.isAnnotated(Destination.class));
    }

    /**
     * Returns the cluster the parameter's annotation names, starting the clusters if needed, or the
     * current test's event log.
     *
     * @param parameterContext the parameter
     * @param extensionContext the current context
     * @return the value
     * @throws ParameterResolutionException if the parameter's type does not fit the configured kind, or
     *         per-method clusters are asked for outside a test method
     */
    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        if (type == MirrorEventLog.class) {
            return extensionContext.getStore(NAMESPACE).getOrComputeIfAbsent(EVENT_LOG, key -> new MirrorEventLog(),
                    MirrorEventLog.class);
        }
        String what = "parameter " + parameterContext.getParameter().getName() + " of "
                + parameterContext.getDeclaringExecutable().getName();
        ClusterPair clusters;
        try {
            clusters = clusters(extensionContext, what);
        } catch (ExtensionConfigurationException e) {
            throw new ParameterResolutionException(e.getMessage(), e);
        }
        TestKafkaCluster cluster = parameterContext.isAnnotated(Source.class) ? clusters.source() : clusters.destination();
        if (!type.isInstance(cluster)) {
            throw new ParameterResolutionException(what + " has type " + type.getSimpleName() + ", but the clusters are "
                    + cluster.getClass().getSimpleName() + " (" + TestKafkaClusters.KIND_PROPERTY + "="
                    + TestKafkaClusters.configuredKind().name().toLowerCase(java.util.Locale.ROOT)
                    + "); declare it as TestKafkaCluster");
        }
        return cluster;
    }

    /**
     * Adds the test's mirror events to its failure and logs them, then rethrows the failure.
     *
     * @param context the test's context
     * @param throwable the failure
     * @throws Throwable always {@code throwable}
     */
    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        MirrorEventLog events = context.getStore(NAMESPACE).get(EVENT_LOG, MirrorEventLog.class);
        if (events != null) {
            String text = events.format();
            throwable.addSuppressed(new RecentMirrorEvents(text));
            log.warn("{} failed; {}", context.getDisplayName(), text);
        }
        throw throwable;
    }

    /** Asks for constructor and instance-field injection in the test method's context, for per-method clusters. */
    @Override
    public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
        return ExtensionContextScope.TEST_METHOD;
    }

    private static void skipWithoutDocker(ExtensionContext context) {
        if (PairSettings.needsContainers(annotation(context).orElse(null)) && TestKafkaClusters.testcontainersPresent()) {
            Assumptions.assumeTrue(ContainerKafkaCluster.isDockerAvailable(), "the clusters are containers ("
                    + TestKafkaClusters.KIND_PROPERTY + "=container or a @Cluster image), but Testcontainers finds no"
                    + " Docker engine: skipped");
        }
    }

    private static ClusterPair clusters(ExtensionContext context, String forWhat) {
        PairSettings settings = settings(context);
        ExtensionContext owner;
        if (settings.perMethod()) {
            if (context.getTestMethod().isEmpty()) {
                throw new ExtensionConfigurationException(forWhat + " asks for clusters outside a test method, but"
                        + " @MirrorClusters(perMethod = true) starts them per test method; use a test method parameter,"
                        + " an instance field or a @BeforeEach parameter");
            }
            owner = context;
        } else {
            owner = topLevelClassContext(context);
        }
        return owner.getStore(NAMESPACE).getOrComputeIfAbsent(CLUSTERS,
                key -> ClusterPair.start(settings), ClusterPair.class);
    }

    private static ExtensionContext topLevelClassContext(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getParent().flatMap(ExtensionContext::getTestClass).isPresent()) {
            classContext = classContext.getParent().get();
        }
        return classContext;
    }

    /** The annotation of the outermost annotated class enclosing the current one, else the defaults. */
    private static PairSettings settings(ExtensionContext context) {
        Optional<Class<?>> testClass = topLevelClassContext(context).getTestClass();
        return annotation(context)
                .map(annotation -> PairSettings.of(annotation, testClass.get()))
                .orElse(PairSettings.DEFAULTS);
    }

    private static Optional<MirrorClusters> annotation(ExtensionContext context) {
        return topLevelClassContext(context).getTestClass()
                .flatMap(testClass -> AnnotationSupport.findAnnotation(testClass, MirrorClusters.class));
    }

    /** Adds threads to those the class's own check ignores. */
    private static void knownToTheClass(ExtensionContext classContext, List<Thread> threads) {
        @SuppressWarnings("unchecked")
        Set<Thread> known = classContext.getStore(NAMESPACE).get(THREADS_BEFORE, Set.class);
        Set<Thread> updated = new java.util.HashSet<>(known == null ? Set.of() : known);
        updated.addAll(threads);
        classContext.getStore(NAMESPACE).put(THREADS_BEFORE, updated);
    }

    private static String leakMessage(List<Thread> leaked, String when) {
        return leaked.size() + " mirror thread(s) still running " + when + " (close every Mirror you start, e.g. with"
                + " try-with-resources):\n" + MirrorThreads.describe(leaked);
    }
}
