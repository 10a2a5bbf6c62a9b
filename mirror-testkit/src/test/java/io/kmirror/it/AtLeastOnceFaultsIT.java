package io.kmirror.it;

import static io.kmirror.it.MirrorTesting.WAIT;
import static io.kmirror.it.MirrorTesting.await;
import static io.kmirror.it.MirrorTesting.awaitRunning;
import static io.kmirror.it.MirrorTesting.mirror;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.Mirror;
import io.kmirror.MirrorState;
import io.kmirror.SendFailurePolicy;
import io.kmirror.TopicFilter;
import io.kmirror.testkit.Destination;
import io.kmirror.testkit.EmbeddedKafkaCluster;
import io.kmirror.testkit.MirrorAssertions;
import io.kmirror.testkit.MirrorClusters;
import io.kmirror.testkit.Source;
import io.kmirror.testkit.TestKafkaCluster;
import io.kmirror.testkit.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.consumer.RetriableCommitFailedException;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;

/**
 * AT_LEAST_ONCE when commits or the destination fail: nothing is lost, a failed commit is retried, and
 * SKIP never skips records because the destination was down.
 */
@MirrorClusters
class AtLeastOnceFaultsIT {

    private final TestKafkaCluster source;
    private final TestKafkaCluster destination;

    AtLeastOnceFaultsIT(@Source TestKafkaCluster source, @Destination TestKafkaCluster destination) {
        this.source = source;
        this.destination = destination;
    }

    @Test
    void aFailedAsyncCommitOfAPartitionThatThenGoesIdle_isCommittedAgain() throws Exception {
        String topic = Topics.unique("idle");
        String group = Topics.unique("group");
        TopicPartition partition = new TopicPartition(topic, 0);
        source.createTopic(topic, 1);
        source.produceKeyed(topic, 100, 10, 1);
        AtomicBoolean failed = new AtomicBoolean();
        try (Mirror mirror = mirror(source, destination, TopicFilter.include(topic), group)
                .consumerFactory(Faults.consumers(call -> {
                    // the commit that reaches the end offset fails once, as a commit can when the coordinator moves
                    if (call.is("commitAsync") && call.args() != null && call.args().length == 2
                            && call.arg(0) instanceof Map<?, ?> offsets && offsets.get(partition) instanceof OffsetAndMetadata om
                            && om.offset() == 100 && failed.compareAndSet(false, true)) {
                        ((OffsetCommitCallback) call.arg(1)).onComplete(Map.of(), new RetriableCommitFailedException("injected"));
                        return null;
                    }
                    return call.proceed();
                })).build()) {
            mirror.start();
            awaitRunning(mirror);
            await("the failing commit was attempted", failed::get);
            assertThat(mirror.awaitCaughtUp(Duration.ofSeconds(20))).as("the idle partition's offset was committed again").isTrue();
        }
        assertThat(committed(group, partition)).as("a restart resumes after the last record: no duplicates").isEqualTo(100);
    }

    @Test
    void skip_neverSkipsRecordsBecauseTheDestinationWasDown() throws Exception {
        String topic = Topics.unique("skipoutage");
        String group = Topics.unique("group");
        TopicPartition partition = new TopicPartition(topic, 0);
        source.createTopic(topic, 1);
        source.produceKeyed(topic, 50, 10, 2);
        try (EmbeddedKafkaCluster fragile = EmbeddedKafkaCluster.builder().name("fragile-destination").start()) {
            Map<String, Object> producer = new HashMap<>(fragile.clientConfig());
            producer.put("request.timeout.ms", 2_000);
            producer.put("delivery.timeout.ms", 5_000);
            producer.put("max.block.ms", 3_000); // a send waiting for the destination's metadata gives up after 3 s
            try (Mirror mirror = mirror(source, fragile, TopicFilter.include(topic), group).destination(producer)
                    .onSendFailure(SendFailurePolicy.SKIP).build()) {
                mirror.start();
                MirrorAssertions.assertThat(mirror).hasCaughtUp(WAIT);
                fragile.stopBroker(0);
                source.produceKeyed(topic, 50, 10, 3);
                await("the mirror failed, or skipped the records the destination never got",
                        () -> mirror.state() == MirrorState.FAILED || mirror.metrics().recordsSkipped() > 0
                                && Long.valueOf(100).equals(mirror.metrics().committedOffsets().get(partition)));
                assertThat(mirror.metrics().recordsSkipped()).as("records skipped while the destination was down").isZero();
                assertThat(mirror.failure()).get().extracting(Throwable::getMessage).asString().contains(topic + "-0");
            }
            fragile.restartBroker(0);
            try (Mirror again = mirror(source, fragile, TopicFilter.include(topic), group).build()) {
                again.start();
                MirrorAssertions.assertThat(again).hasCaughtUp(WAIT);
            }
            MirrorAssertions.assertThat(fragile.topic(topic)).containsAllRecordsOf(source.topic(topic));
        }
    }

    @Test
    void aRefusedRecord_stopsTheStreamBeforeTheRestOfThePollIsSent() throws Exception {
        String topic = Topics.unique("refusedfirst");
        source.createTopic(topic, 1);
        source.produceKeyed(topic, 100, 10, 4);
        AtomicBoolean refused = new AtomicBoolean();
        AtomicInteger sendsAfterTheRefusal = new AtomicInteger();
        Mirror mirror = mirror(source, destination, TopicFilter.include(topic), Topics.unique("group"))
                .producerFactory(Faults.producers(call -> {
                    if (call.is("send")) {
                        if (refused.compareAndSet(false, true)) {
                            // refused at once, as a record over max.request.size is; each later send could block max.block.ms
                            ((Callback) call.arg(1)).onCompletion(null, new RecordTooLargeException("injected: record too large"));
                            return null;
                        }
                        sendsAfterTheRefusal.incrementAndGet();
                    }
                    return call.proceed();
                })).build();
        try {
            mirror.start();
            await("mirror FAILED", () -> mirror.state() == MirrorState.FAILED);
        } finally {
            mirror.close();
        }
        assertThat(mirror.failure()).get().extracting(Throwable::getMessage).asString()
                .contains(topic + "-0").contains("offset 0");
        assertThat(sendsAfterTheRefusal).as("records sent after the stream knew of the refusal").hasValue(0);
    }

    private long committed(String group, TopicPartition partition) throws Exception {
        OffsetAndMetadata offset = source.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS).get(partition);
        return offset == null ? -1 : offset.offset();
    }
}
