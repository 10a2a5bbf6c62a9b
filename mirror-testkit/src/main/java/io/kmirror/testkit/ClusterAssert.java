package io.kmirror.testkit;

import io.kmirror.Mirror;

import java.time.Duration;
import java.util.Objects;

import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a test cluster; obtain one with {@link MirrorAssertions#assertThat(TestKafkaCluster)}.
 * Mostly a way to a topic's assertions: {@code assertThat(destination).topic("orders")}. The settings
 * {@link #eventually(Duration)} and {@link #watching(Mirror)} apply to this object's own assertions and
 * carry over to the topic assertions it returns. Not thread-safe.
 */
public class ClusterAssert extends AbstractAssert<ClusterAssert, TestKafkaCluster> {

    private Duration timeout;
    private Mirror watched;

    /**
     * Creates assertions on a cluster; prefer {@link MirrorAssertions#assertThat(TestKafkaCluster)}.
     *
     * @param actual the cluster under test
     */
    public ClusterAssert(TestKafkaCluster actual) {
        super(actual, ClusterAssert.class);
    }

    /**
     * Makes the following assertions retry until they hold or {@code timeout} passed; see
     * {@link TopicAssert#eventually(Duration)}.
     *
     * @param timeout positive
     * @return this assertion object
     */
    public ClusterAssert eventually(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout of eventually(..) must be positive, was " + timeout);
        }
        this.timeout = timeout;
        return myself;
    }

    /**
     * Makes the following assertions fail at once when {@code mirror} is {@code FAILED}; see
     * {@link TopicAssert#watching(Mirror)}.
     *
     * @param mirror the mirror that writes to this cluster
     * @return this assertion object
     */
    public ClusterAssert watching(Mirror mirror) {
        this.watched = Objects.requireNonNull(mirror, "mirror must not be null");
        return myself;
    }

    /**
     * Returns assertions on a topic of this cluster, with this object's {@code eventually} and
     * {@code watching} settings and description.
     *
     * @param name the topic's name
     * @return assertions on the topic
     */
    public TopicAssert topic(String name) {
        isNotNull();
        TopicAssert topic = new TopicAssert(actual.topic(name));
        if (timeout != null) {
            topic.eventually(timeout);
        }
        if (watched != null) {
            topic.watching(watched);
        }
        if (info.description() != null && !info.descriptionText().isEmpty()) {
            topic.as(info.description());
        }
        return topic;
    }

    /**
     * Verifies that the cluster has a topic of this name.
     *
     * @param name the topic's name
     * @return this assertion object
     * @throws AssertionError "topic orders does not exist on destination"
     */
    public ClusterAssert hasTopic(String name) {
        topic(name).exists();
        return myself;
    }

    /**
     * Verifies that the cluster has no topic of this name.
     *
     * @param name the topic's name
     * @return this assertion object
     * @throws AssertionError if the topic exists
     */
    public ClusterAssert doesNotHaveTopic(String name) {
        topic(name).doesNotExist();
        return myself;
    }
}
