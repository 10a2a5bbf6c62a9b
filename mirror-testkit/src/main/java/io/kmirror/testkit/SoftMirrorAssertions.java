package io.kmirror.testkit;

import io.kmirror.Mirror;

import java.util.function.Consumer;

import org.assertj.core.api.AbstractSoftAssertions;
import org.assertj.core.api.SoftAssertionsProvider;
import org.assertj.core.api.StandardSoftAssertionsProvider;

/**
 * Soft assertions: every failure is collected and reported together by {@link #assertAll()}, with all
 * of AssertJ's soft assertions besides kmirror's. With {@code eventually}, each assertion still waits
 * for itself.
 *
 * <pre>{@code
 * SoftMirrorAssertions.assertSoftly(softly -> {
 *     softly.assertThat(destination.topic("orders")).hasPartitionCount(8);
 *     softly.assertThat(destination.topic("orders")).hasNoDuplicates();
 *     softly.assertThat(mirror).hasNoLag();
 * });
 * }</pre>
 *
 * Reach a topic with {@code softly.assertThat(cluster.topic(name))}: the {@link ClusterAssert#topic}
 * shortcut returns hard assertions.
 */
public class SoftMirrorAssertions extends AbstractSoftAssertions implements StandardSoftAssertionsProvider {

    /** Creates an empty collection of soft assertions. */
    public SoftMirrorAssertions() {
    }

    /**
     * Runs {@code softly} and then fails with every collected failure, if any.
     *
     * @param softly the assertions
     * @throws AssertionError listing every failed assertion
     */
    public static void assertSoftly(Consumer<SoftMirrorAssertions> softly) {
        SoftAssertionsProvider.assertSoftly(SoftMirrorAssertions.class, softly);
    }

    /**
     * Returns soft assertions on a test cluster.
     *
     * @param actual the cluster
     * @return assertions whose failures are collected
     */
    public ClusterAssert assertThat(TestKafkaCluster actual) {
        return proxy(ClusterAssert.class, TestKafkaCluster.class, actual);
    }

    /**
     * Returns soft assertions on a topic.
     *
     * @param actual the topic
     * @return assertions whose failures are collected
     */
    public TopicAssert assertThat(ClusterTopic actual) {
        return proxy(TopicAssert.class, ClusterTopic.class, actual);
    }

    /**
     * Returns soft assertions on a mirror.
     *
     * @param actual the mirror
     * @return assertions whose failures are collected
     */
    public MirrorAssert assertThat(Mirror actual) {
        return proxy(MirrorAssert.class, Mirror.class, actual);
    }
}
