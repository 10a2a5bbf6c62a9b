package io.kmirror.testkit;

import static io.kmirror.testkit.MirrorAssertions.assertThat;
import static io.kmirror.testkit.MirrorAssertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.kmirror.Mirror;
import io.kmirror.MirrorState;
import io.kmirror.TopicFilter;
import io.kmirror.testkit.internal.RecentMirrorEvents;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * {@link MirrorClusters}: what it injects where, per class and per method, and what it fails a test for.
 * The classes at the bottom are run inside a test with JUnit's engine test kit, to look at their results.
 */
@MirrorClusters
class MirrorClustersExtensionIT {

    private static final String RUN_KEY = "kmirror.testkit.MirrorClustersExtensionIT.run";

    @Source
    static TestKafkaCluster staticSource;
    private static TestKafkaCluster sourceInBeforeAll;

    @Destination
    TestKafkaCluster destinationField;
    private final TestKafkaCluster sourceInConstructor;
    private TestKafkaCluster destinationInBeforeEach;

    MirrorClustersExtensionIT(@Source TestKafkaCluster source) {
        this.sourceInConstructor = source;
    }

    @BeforeAll
    static void captureInBeforeAll(@Source TestKafkaCluster source) {
        sourceInBeforeAll = source;
    }

    @BeforeEach
    void captureInBeforeEach(@Destination TestKafkaCluster destination) {
        destinationInBeforeEach = destination;
    }

    @Test
    void perClass_injectsTheSameTwoRunningClustersEverywhere(@Source TestKafkaCluster source,
                                                             @Destination TestKafkaCluster destination) throws Exception {
        assertThat(source).isNotSameAs(destination);
        assertThat(source.name()).isEqualTo("source");
        assertThat(destination.name()).isEqualTo("destination");
        assertThat(source.clusterId()).isNotEqualTo(destination.clusterId());
        assertThat(source.admin().describeCluster().clusterId().get()).isEqualTo(source.clusterId());
        assertThat(destination.admin().describeCluster().clusterId().get()).isEqualTo(destination.clusterId());
        assertThat(source).isInstanceOf(TestKafkaClusters.configuredKind() == ClusterKind.EMBEDDED
                ? EmbeddedKafkaCluster.class : ContainerKafkaCluster.class);

        assertThat(List.of(staticSource, sourceInBeforeAll, sourceInConstructor)).containsOnly(source);
        assertThat(List.of(destinationField, destinationInBeforeEach)).containsOnly(destination);
    }

    @Test
    void perMethod_givesEachTestItsOwnClusters_withTheBrokerSettings_andClosesThem() {
        EngineExecutionResults results = run(PerMethodClusters.class);

        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(2));
        assertThat(PerMethodClusters.seen).hasSize(4).doesNotHaveDuplicates();
        assertThat(PerMethodClusters.retention).containsExactly("123456789", "123456789");
        for (TestKafkaCluster closed : PerMethodClusters.seen) {
            assertThatThrownBy(closed::bootstrapServers).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void eachSide_getsItsOwnSettings_overTheCommonOnes() {
        EngineExecutionResults results = run(PerSideClusters.class);

        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        assertThat(PerSideClusters.brokers).containsExactly(1, 2);
        assertThat(PerSideClusters.retention).containsExactly("77777777", "42424242");
    }

    @Test
    void committedOffsets_areTheGroupsByPartition_andEmptyForAnUnknownGroup() throws Exception {
        String topic = Topics.unique("committed");
        staticSource.createTopic(topic, 2);
        String group = Topics.unique("group");
        staticSource.admin().alterConsumerGroupOffsets(group, java.util.Map.of(
                new org.apache.kafka.common.TopicPartition(topic, 1), new org.apache.kafka.clients.consumer.OffsetAndMetadata(0),
                new org.apache.kafka.common.TopicPartition(topic, 0), new org.apache.kafka.clients.consumer.OffsetAndMetadata(0)))
                .all().get();

        assertThat(staticSource.committedOffsets(group)).containsExactly(
                java.util.Map.entry(new org.apache.kafka.common.TopicPartition(topic, 0), 0L),
                java.util.Map.entry(new org.apache.kafka.common.TopicPartition(topic, 1), 0L));
        assertThat(staticSource.committedOffsets(Topics.unique("nobody"))).isEmpty();
    }

    @Test
    void aMirrorLeftRunning_failsTheTest_namingItsThreads() {
        String topic = Topics.unique("leaky");
        staticSource.createTopic(topic, 1);
        LeavesAMirrorRunning.source = staticSource.clientConfig();
        LeavesAMirrorRunning.destination = destinationField.clientConfig();
        LeavesAMirrorRunning.topic = topic;

        EngineExecutionResults results = run(LeavesAMirrorRunning.class);
        try {
            results.containerEvents().assertStatistics(stats -> stats.failed(0)); // reported once, by the test
            assertThat(failureOf(results, "leavesItsMirrorRunning"))
                    .hasMessageStartingWith("3 mirror thread(s) still running after the test (close every Mirror you start,"
                            + " e.g. with try-with-resources):\n  kmirror-leaky-health (")
                    .hasMessageContaining("\n  kmirror-leaky-stream-0 (")
                    .hasMessageContaining("\n  kmirror-leaky-topics (");
        } finally {
            LeavesAMirrorRunning.mirror.close();
        }
        assertThat(LeavesAMirrorRunning.mirror).isStopped();
    }

    @Test
    void aFailedTest_carriesItsMirrorEvents() {
        EngineExecutionResults results = run(FailsWithEvents.class);

        Throwable failure = failureOf(results, "failsAfterSomeEvents");
        assertThat(failure).hasMessage("the test's own failure");
        assertThat(failure.getSuppressed()).hasSize(1);
        assertThat(failure.getSuppressed()[0]).isInstanceOf(RecentMirrorEvents.class)
                .hasMessageStartingWith("recent mirror events, oldest first:\n  +")
                .hasMessageContaining(" s [main] state CREATED -> STARTING\n")
                .hasMessageEndingWith(" s [main] the test noted this");
    }

    @Test
    void perMethodClusters_areNotOfferedToBeforeAll() {
        EngineExecutionResults results = run(PerMethodClustersInBeforeAll.class);

        results.containerEvents().assertStatistics(stats -> stats.failed(1));
        Throwable failure = results.containerEvents().failed().stream().findFirst().orElseThrow()
                .getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class).getThrowable().orElseThrow();
        assertThat(failure).hasMessageContaining("asks for clusters outside a test method, but @MirrorClusters(perMethod = true)"
                + " starts them per test method");
    }

    static EngineExecutionResults run(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass))
                .configurationParameter(RUN_KEY, "true").execute();
    }

    static Throwable failureOf(EngineExecutionResults results, String testName) {
        Event failed = results.testEvents().failed().stream()
                .filter(event -> event.getTestDescriptor().getDisplayName().startsWith(testName))
                .findFirst().orElseThrow(() -> new AssertionError("test " + testName + " did not fail"));
        return failed.getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class).getThrowable().orElseThrow();
    }

    static boolean runByEngineTestKit(ExtensionContext context) {
        return context.getConfigurationParameter(RUN_KEY).isPresent();
    }

    /** Run only by {@link #perMethod_givesEachTestItsOwnClusters_withTheBrokerSettings_andClosesThem()}. */
    @MirrorClusters(perMethod = true, brokerConfig = "log.retention.ms=123456789")
    @EnabledIf("io.kmirror.testkit.MirrorClustersExtensionIT#runByEngineTestKit")
    static class PerMethodClusters {
        static final List<TestKafkaCluster> seen = new CopyOnWriteArrayList<>();
        static final List<String> retention = new CopyOnWriteArrayList<>();

        @Source
        TestKafkaCluster source;

        @Test
        void first(@Destination TestKafkaCluster destination) {
            record(destination);
        }

        @Test
        void second(@Destination TestKafkaCluster destination) {
            record(destination);
        }

        private void record(TestKafkaCluster destination) {
            seen.add(source);
            seen.add(destination);
            String topic = Topics.unique("retention");
            destination.createTopic(topic, 1);
            retention.add(destination.topicConfig(topic).get("retention.ms"));
        }
    }

    /** Run only by {@link #eachSide_getsItsOwnSettings_overTheCommonOnes()}. */
    @MirrorClusters(brokerConfig = "log.retention.ms=77777777",
            destination = @Cluster(brokers = 2, brokerConfig = "log.retention.ms=42424242"))
    @EnabledIf("io.kmirror.testkit.MirrorClustersExtensionIT#runByEngineTestKit")
    static class PerSideClusters {
        static final List<Integer> brokers = new CopyOnWriteArrayList<>();
        static final List<String> retention = new CopyOnWriteArrayList<>();

        @Test
        void both(@Source TestKafkaCluster source, @Destination TestKafkaCluster destination) {
            for (TestKafkaCluster cluster : List.of(source, destination)) {
                brokers.add(cluster.brokerCount());
                String topic = Topics.unique("retention");
                cluster.createTopic(topic, 1);
                retention.add(cluster.topicConfig(topic).get("retention.ms"));
            }
        }
    }

    /** Run only by {@link #aMirrorLeftRunning_failsTheTest_namingItsThreads()}: a running mirror, never closed. */
    @MirrorClusters
    @EnabledIf("io.kmirror.testkit.MirrorClustersExtensionIT#runByEngineTestKit")
    static class LeavesAMirrorRunning {
        static volatile Map<String, Object> source;
        static volatile Map<String, Object> destination;
        static volatile String topic;
        static volatile Mirror mirror;

        @Test
        void leavesItsMirrorRunning() {
            mirror = Mirror.builder().source(source).destination(destination).topics(TopicFilter.include(topic))
                    .groupId("leaky").build();
            mirror.start();
            assertThat(mirror).eventually(java.time.Duration.ofSeconds(60)).isRunning();
        }
    }

    /** Run only by {@link #aFailedTest_carriesItsMirrorEvents()}. */
    @MirrorClusters
    @EnabledIf("io.kmirror.testkit.MirrorClustersExtensionIT#runByEngineTestKit")
    static class FailsWithEvents {
        @Test
        void failsAfterSomeEvents(MirrorEventLog events) {
            events.onStateChange(MirrorState.CREATED, MirrorState.STARTING);
            events.note("the test noted this");
            throw new AssertionError("the test's own failure");
        }
    }

    /** Run only by {@link #perMethodClusters_areNotOfferedToBeforeAll()}. */
    @MirrorClusters(perMethod = true)
    @EnabledIf("io.kmirror.testkit.MirrorClustersExtensionIT#runByEngineTestKit")
    static class PerMethodClustersInBeforeAll {
        @BeforeAll
        static void tooEarly(@Source TestKafkaCluster source) {
        }

        @Test
        void never() {
        }

        @AfterAll
        static void done() {
        }
    }
}
