package io.kmirror.it;

import static io.kmirror.it.MirrorTesting.WAIT;
import static io.kmirror.it.MirrorTesting.await;
import static io.kmirror.it.MirrorTesting.awaitRunning;
import static io.kmirror.it.MirrorTesting.mirror;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.DeliveryGuarantee;
import io.kmirror.Mirror;
import io.kmirror.MirrorBuilder;
import io.kmirror.MirrorState;
import io.kmirror.TopicFilter;
import io.kmirror.TopicNaming;
import io.kmirror.testkit.Destination;
import io.kmirror.testkit.EmbeddedKafkaCluster;
import io.kmirror.testkit.MirrorAssertions;
import io.kmirror.testkit.MirrorClusters;
import io.kmirror.testkit.Source;
import io.kmirror.testkit.TestKafkaCluster;
import io.kmirror.testkit.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.junit.jupiter.api.Test;

/**
 * EXACTLY_ONCE when the destination misbehaves: failed commits, failed opens, timed-out transactions and
 * a second mirror into the same destination never lose a record or show one twice to read_committed
 * readers, and never leave a partition stopped while the mirror says RUNNING. Faults are injected
 * through the public producer factory.
 */
@MirrorClusters
class ExactlyOnceFaultsIT {

    private final TestKafkaCluster source;
    private final TestKafkaCluster destination;

    ExactlyOnceFaultsIT(@Source TestKafkaCluster source, @Destination TestKafkaCluster destination) {
        this.source = source;
        this.destination = destination;
    }

    @Test
    void aCommitThatFails_isRetriedFromTheLastCommittedOffset_nothingLost() throws Exception {
        String topic = Topics.unique("commitfails");
        String group = Topics.unique("group");
        source.createTopic(topic, 2);
        source.produceKeyed(topic, 1_000, 50, 1);
        AtomicInteger commitsToFail = new AtomicInteger(1);

        boolean caughtUpDespiteTheFault;
        try (Mirror mirror = exactlyOnce(topic, group).producerFactory(failing("commitTransaction", commitsToFail,
                () -> new KafkaException("injected: the transaction coordinator answered COORDINATOR_LOAD_IN_PROGRESS"))).build()) {
            mirror.start();
            caughtUpDespiteTheFault = caughtUpOrFailed(mirror);
        }
        assertThat(commitsToFail).as("the fault was injected").hasValue(0);

        runCleanMirrorToTheEnd(topic, group);
        MirrorAssertions.assertThat(destination.topic(topic)).containsExactlyRecordsOf(source.topic(topic));
        assertThat(caughtUpDespiteTheFault).as("the mirror retried the failed commit by itself").isTrue();
    }

    @Test
    void aCommitThatFailsWhilePartitionsAreRevoked_losesNothing() throws Exception {
        String topic = Topics.unique("revokefails");
        String group = Topics.unique("group");
        source.createTopic(topic, 2);
        source.produceKeyed(topic, 1_000, 50, 2);
        AtomicInteger commitsToFail = new AtomicInteger(0);

        // transactions stay open until the partitions are revoked: the only commits are the revocation's
        try (Mirror first = exactlyOnce(topic, group).transactionCommitInterval(Duration.ofHours(1))
                .maxTransactionRecords(1_000_000)
                .producerFactory(failing("commitTransaction", commitsToFail, () -> new KafkaException("injected commit failure")))
                .build()) {
            first.start();
            awaitRunning(first);
            await("the first mirror sent every record into its open transactions", () -> first.metrics().recordsMirrored() == 1_000);
            commitsToFail.set(1);
            try (Mirror second = exactlyOnce(topic, group).build()) {
                second.start();
                await("the revocation's commit failed", () -> commitsToFail.get() == 0);
                await("the second mirror RUNNING", () -> second.state() == MirrorState.RUNNING || second.state().isTerminal());
            }
        }
        runCleanMirrorToTheEnd(topic, group);
        MirrorAssertions.assertThat(destination.topic(topic)).containsExactlyRecordsOf(source.topic(topic));
    }

    @Test
    void aPartitionWhoseProducerCannotOpen_isNotCommittedFromAPositionTheMirrorNeverChose() throws Exception {
        String topic = Topics.unique("openfails");
        String group = Topics.unique("group");
        source.createTopic(topic, 2);
        source.produceKeyed(topic, 200, 20, 3);
        runCleanMirrorToTheEnd(topic, group);
        source.produceKeyed(topic, 100, 20, 4);
        // the source group's offsets are informational under exactly-once: rewind them as a lag tool might
        source.admin().alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(0),
                new TopicPartition(topic, 1), new OffsetAndMetadata(0))).all().get(30, TimeUnit.SECONDS);

        AtomicInteger opensToFail = new AtomicInteger(1);
        boolean caughtUpDespiteTheFault;
        try (Mirror mirror = exactlyOnce(topic, group).producerFactory(Faults.producers(call -> {
            if (call.is("initTransactions") && call.config().get("transactional.id").toString().endsWith("-1")
                    && opensToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new org.apache.kafka.common.errors.TimeoutException("injected: InitProducerId timed out");
            }
            return call.proceed();
        })).build()) {
            mirror.start();
            caughtUpDespiteTheFault = caughtUpOrFailed(mirror);
        }
        assertThat(opensToFail).as("the fault was injected").hasValue(0);

        runCleanMirrorToTheEnd(topic, group);
        MirrorAssertions.assertThat(destination.topic(topic)).containsExactlyRecordsOf(source.topic(topic));
        assertThat(caughtUpDespiteTheFault).as("the mirror opened the partition again by itself").isTrue();
    }

    @Test
    void aTransactionThatTimedOut_isRetried_notMistakenForAnotherInstance() throws Exception {
        String topic = Topics.unique("txntimeout");
        String group = Topics.unique("group");
        source.createTopic(topic, 2);
        source.produceKeyed(topic, 500, 20, 5);
        AtomicInteger commitsToFail = new AtomicInteger(1);
        try (Mirror mirror = exactlyOnce(topic, group).producerFactory(failing("commitTransaction", commitsToFail,
                // what the producer throws after the coordinator aborted a transaction older than transaction.timeout.ms
                () -> new InvalidProducerEpochException("injected: Producer attempted to produce with an old epoch"))).build()) {
            mirror.start();
            MirrorAssertions.assertThat(mirror).hasCaughtUp(Duration.ofSeconds(30));
            source.produceKeyed(topic, 500, 20, 6);
            MirrorAssertions.assertThat(mirror).hasCaughtUp(Duration.ofSeconds(30));
            assertThat(mirror.state()).isEqualTo(MirrorState.RUNNING);
        }
        assertThat(commitsToFail).as("the fault was injected").hasValue(0);
        MirrorAssertions.assertThat(destination.topic(topic)).containsExactlyRecordsOf(source.topic(topic));
    }

    @Test
    void twoSourceClustersIntoOneDestination_withTheDefaultGroup_doNotFenceEachOther() throws Exception {
        String topic = Topics.unique("orders");
        try (EmbeddedKafkaCluster otherSource = EmbeddedKafkaCluster.builder().name("other-source").start()) {
            source.createTopic(topic, 2);
            otherSource.createTopic(topic, 2);
            source.produceKeyed(topic, 2_000, 50, 7);
            otherSource.produceKeyed(topic, 2_000, 50, 8);
            try (Mirror a = defaultGroupMirror(source, topic, "a.");
                 Mirror b = defaultGroupMirror(otherSource, topic, "b.")) {
                a.start();
                b.start();
                MirrorAssertions.assertThat(a).hasCaughtUp(Duration.ofSeconds(40));
                MirrorAssertions.assertThat(b).hasCaughtUp(Duration.ofSeconds(40));
                source.produceKeyed(topic, 1_000, 50, 9);
                otherSource.produceKeyed(topic, 1_000, 50, 10);
                MirrorAssertions.assertThat(a).hasCaughtUp(Duration.ofSeconds(40));
                MirrorAssertions.assertThat(b).hasCaughtUp(Duration.ofSeconds(40));
            }
            MirrorAssertions.assertThat(destination.topic("a." + topic)).containsExactlyRecordsOf(source.topic(topic));
            MirrorAssertions.assertThat(destination.topic("b." + topic)).containsExactlyRecordsOf(otherSource.topic(topic));
        }
    }

    private Mirror defaultGroupMirror(TestKafkaCluster from, String topic, String prefix) {
        return Mirror.builder().source(from.clientConfig()).destination(destination.clientConfig())
                .topics(TopicFilter.include(topic)).topicNaming(TopicNaming.prefix(prefix))
                .topicRefreshInterval(Duration.ofSeconds(1))
                .guarantee(DeliveryGuarantee.EXACTLY_ONCE).build();
    }

    private MirrorBuilder exactlyOnce(String topic, String group) {
        return mirror(source, destination, TopicFilter.include(topic), group).guarantee(DeliveryGuarantee.EXACTLY_ONCE);
    }

    private void runCleanMirrorToTheEnd(String topic, String group) throws InterruptedException {
        try (Mirror clean = exactlyOnce(topic, group).build()) {
            clean.start();
            MirrorAssertions.assertThat(clean).hasCaughtUp(WAIT);
        }
    }

    /** Waits until the mirror caught up (true) or failed (false). */
    private static boolean caughtUpOrFailed(Mirror mirror) throws InterruptedException {
        try {
            return mirror.awaitCaughtUp(WAIT);
        } catch (IllegalStateException failed) {
            return false;
        }
    }

    /** Real producers whose {@code method} fails, before running, while {@code remaining} is positive (counting it down). */
    private static io.kmirror.ClientFactories.ProducerFactory failing(String method, AtomicInteger remaining,
            java.util.function.Supplier<RuntimeException> fault) {
        return Faults.producers(call -> {
            if (call.is(method) && remaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw fault.get();
            }
            return call.proceed();
        });
    }
}
