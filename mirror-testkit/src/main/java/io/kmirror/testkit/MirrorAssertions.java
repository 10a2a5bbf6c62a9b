package io.kmirror.testkit;

import io.kmirror.Mirror;

import org.assertj.core.api.Assertions;

/**
 * The entry point of kmirror's AssertJ assertions, and of all of AssertJ's (it extends
 * {@link Assertions}), so one static import serves a whole test:
 *
 * <pre>{@code
 * import static io.kmirror.testkit.MirrorAssertions.assertThat;
 *
 * assertThat(mirror).eventually(Duration.ofSeconds(30)).isRunning();
 * assertThat(destination).topic("orders").eventually(Duration.ofSeconds(30)).watching(mirror)
 *         .containsExactlyRecordsOf(source.topic("orders"));
 * assertThat(destination).topic("orders").hasNoDuplicates().hasPartitionCount(8);
 * }</pre>
 *
 * <p>For soft assertions, see {@link SoftMirrorAssertions}.
 */
public class MirrorAssertions extends Assertions {

    /** For subclasses that add their own entry points. */
    protected MirrorAssertions() {
    }

    /**
     * Returns assertions on a test cluster, mostly to reach its topics:
     * {@code assertThat(destination).topic("orders")}.
     *
     * @param actual the cluster
     * @return assertions on it
     */
    public static ClusterAssert assertThat(TestKafkaCluster actual) {
        return new ClusterAssert(actual);
    }

    /**
     * Returns assertions on a topic of a test cluster: {@code assertThat(destination.topic("orders"))}.
     *
     * @param actual the topic
     * @return assertions on it
     */
    public static TopicAssert assertThat(ClusterTopic actual) {
        return new TopicAssert(actual);
    }

    /**
     * Returns assertions on a mirror: its state, catch-up and counters.
     *
     * @param actual the mirror
     * @return assertions on it
     */
    public static MirrorAssert assertThat(Mirror actual) {
        return new MirrorAssert(actual);
    }
}
