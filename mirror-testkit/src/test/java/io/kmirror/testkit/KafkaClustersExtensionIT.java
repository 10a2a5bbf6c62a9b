package io.kmirror.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** The deprecated extension keeps working as it did. */
@SuppressWarnings("deprecation")
class KafkaClustersExtensionIT {

    @RegisterExtension
    static final KafkaClustersExtension clusters = new KafkaClustersExtension();

    private static EmbeddedKafkaCluster sourceInBeforeAll;
    private static EmbeddedKafkaCluster destinationInBeforeAll;

    private final EmbeddedKafkaCluster sourceInConstructor;
    private EmbeddedKafkaCluster destinationInBeforeEach;

    KafkaClustersExtensionIT(@Source EmbeddedKafkaCluster source) {
        this.sourceInConstructor = source;
    }

    @BeforeAll
    static void captureInBeforeAll(@Source EmbeddedKafkaCluster source, @Destination EmbeddedKafkaCluster destination) {
        sourceInBeforeAll = source;
        destinationInBeforeAll = destination;
    }

    @BeforeEach
    void captureInBeforeEach(@Destination EmbeddedKafkaCluster destination) {
        destinationInBeforeEach = destination;
    }

    @Test
    void injectsTwoDistinctRunningClustersEverywhere(@Source EmbeddedKafkaCluster source,
                                                     @Destination EmbeddedKafkaCluster destination) throws Exception {
        assertThat(source).isNotSameAs(destination);
        assertThat(source.clusterId()).isNotEqualTo(destination.clusterId());
        assertThat(source.bootstrapServers()).isNotEqualTo(destination.bootstrapServers());
        assertThat(source.admin().describeCluster().clusterId().get()).isEqualTo(source.clusterId());
        assertThat(destination.admin().describeCluster().clusterId().get()).isEqualTo(destination.clusterId());

        assertThat(sourceInConstructor).isSameAs(source);
        assertThat(sourceInBeforeAll).isSameAs(source);
        assertThat(clusters.source()).isSameAs(source);
        assertThat(destinationInBeforeAll).isSameAs(destination);
        assertThat(destinationInBeforeEach).isSameAs(destination);
        assertThat(clusters.destination()).isSameAs(destination);
    }

    @Test
    void closesTheClustersAfterTheTestClass() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(ClassUsingClusters.class))
                .configurationParameter(ClassUsingClusters.RUN_KEY, "true")
                .execute();

        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1).failed(0));
        results.containerEvents().assertStatistics(stats -> stats.failed(0));
        assertThat(ClassUsingClusters.source).isNotNull().isNotSameAs(ClassUsingClusters.destination);
        for (EmbeddedKafkaCluster closed : new EmbeddedKafkaCluster[] {ClassUsingClusters.source, ClassUsingClusters.destination}) {
            assertThat(closed.baseDirectory()).doesNotExist();
            assertThatThrownBy(closed::bootstrapServers).isInstanceOf(IllegalStateException.class);
        }
    }

    /** Run only by {@link #closesTheClustersAfterTheTestClass()}. */
    @ExtendWith(KafkaClustersExtension.class)
    @EnabledIf("runByEngineTestKit")
    static class ClassUsingClusters {
        static final String RUN_KEY = "kmirror.testkit.ClassUsingClusters.run";
        static volatile EmbeddedKafkaCluster source;
        static volatile EmbeddedKafkaCluster destination;

        static boolean runByEngineTestKit(ExtensionContext context) {
            return context.getConfigurationParameter(RUN_KEY).isPresent();
        }

        @Test
        void seesRunningClusters(@Source EmbeddedKafkaCluster source, @Destination EmbeddedKafkaCluster destination) {
            ClassUsingClusters.source = source;
            ClassUsingClusters.destination = destination;
            assertThat(source.topics()).isNotNull();
            assertThat(destination.topics()).isNotNull();
        }
    }
}
