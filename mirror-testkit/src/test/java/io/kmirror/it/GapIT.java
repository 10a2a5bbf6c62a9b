package io.kmirror.it;

import static io.kmirror.it.MirrorTesting.WAIT;
import static io.kmirror.it.MirrorTesting.await;
import static io.kmirror.it.MirrorTesting.mirror;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.DeliveryGuarantee;
import io.kmirror.Gap;
import io.kmirror.GapException;
import io.kmirror.GapPolicy;
import io.kmirror.Mirror;
import io.kmirror.MirrorBuilder;
import io.kmirror.MirrorState;
import io.kmirror.TopicFilter;
import io.kmirror.testkit.Destination;
import io.kmirror.testkit.MirrorAssertions;
import io.kmirror.testkit.MirrorClusters;
import io.kmirror.testkit.Source;
import io.kmirror.testkit.TestKafkaCluster;
import io.kmirror.testkit.Topics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Source records that vanish before the mirror copied them (retention, deleteRecords, a recreated topic)
 * are never skipped silently: the mirror stops naming them, or reports them and goes on.
 */
@MirrorClusters
class GapIT {

    private final TestKafkaCluster source;
    private final TestKafkaCluster destination;

    GapIT(@Source TestKafkaCluster source, @Destination TestKafkaCluster destination) {
        this.source = source;
        this.destination = destination;
    }

    @ParameterizedTest
    @EnumSource(DeliveryGuarantee.class)
    void recordsDeletedBeforeTheyWereMirrored_stopTheMirrorNamingTheRange_orAreReportedAndSkipped(DeliveryGuarantee guarantee)
            throws Exception {
        String topic = Topics.unique("retention");
        String group = Topics.unique("group");
        TopicPartition partition = new TopicPartition(topic, 0);
        source.createTopic(topic, 1);
        source.produceKeyed(topic, 100, 10, 1);
        runToTheEnd(topic, group, guarantee, GapPolicy.FAIL);
        List<String> before = values(destination.readAll(topic));

        source.produceKeyed(topic, 100, 10, 2); // offsets 100..199, never mirrored
        source.admin().deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(150))).all().get(30, TimeUnit.SECONDS);

        Mirror strict = builder(topic, group, guarantee, GapPolicy.FAIL).build();
        try {
            strict.start();
            await("mirror FAILED", () -> strict.state() == MirrorState.FAILED);
        } finally {
            strict.close();
        }
        assertThat(strict.failure()).get().isInstanceOf(GapException.class);
        Gap gap = ((GapException) strict.failure().get()).gap();
        assertThat(gap.kind()).isEqualTo(Gap.Kind.RETENTION);
        assertThat(gap.partition()).isEqualTo(partition);
        assertThat(List.of(gap.fromOffset(), gap.toOffset())).containsExactly(100L, 150L);
        assertThat(strict.failure().get().getMessage()).contains("source partition " + topic + "-0: records [100, 150)");
        assertThat(destination.readAll(topic)).as("nothing past the gap was copied").hasSize(100);

        try (Mirror lenient = builder(topic, group, guarantee, GapPolicy.RECORD_AND_CONTINUE).build()) {
            lenient.start();
            MirrorAssertions.assertThat(lenient).hasCaughtUp(WAIT);
            assertThat(lenient.metrics().gaps()).extracting(Gap::kind, Gap::fromOffset, Gap::toOffset)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(Gap.Kind.RETENTION, 100L, 150L));
        }
        List<String> expected = new java.util.ArrayList<>(before);
        expected.addAll(values(source.readAll(topic))); // the source holds 150..199 now
        assertThat(values(destination.readAll(topic))).as("the records before the gap, then those after it, once each")
                .containsExactlyElementsOf(expected);
    }

    @ParameterizedTest
    @EnumSource(DeliveryGuarantee.class)
    void aTopicDeletedAndRecreatedWhileTheMirrorWasStopped_stopsIt_orIsMirroredFromItsBeginning(DeliveryGuarantee guarantee)
            throws Exception {
        String topic = Topics.unique("recreated");
        String group = Topics.unique("group");
        source.createTopic(topic, 1);
        source.produceKeyed(topic, 50, 10, 3);
        runToTheEnd(topic, group, guarantee, GapPolicy.FAIL);
        List<String> before = values(destination.readAll(topic));

        recreate(topic);
        source.produceKeyed(topic, 30, 10, 4);

        Mirror strict = builder(topic, group, guarantee, GapPolicy.FAIL).build();
        try {
            strict.start();
            await("mirror FAILED", () -> strict.state() == MirrorState.FAILED);
        } finally {
            strict.close();
        }
        assertThat(strict.failure()).get().isInstanceOf(GapException.class);
        assertThat(((GapException) strict.failure().get()).gap().kind()).isEqualTo(Gap.Kind.RECREATED);
        assertThat(strict.failure().get().getMessage()).contains("source topic " + topic + " was deleted and recreated");
        assertThat(values(destination.readAll(topic))).as("nothing of the new topic was copied").isEqualTo(before);

        try (Mirror lenient = builder(topic, group, guarantee, GapPolicy.RECORD_AND_CONTINUE).build()) {
            lenient.start();
            MirrorAssertions.assertThat(lenient).hasCaughtUp(WAIT);
            assertThat(lenient.metrics().gaps()).extracting(Gap::kind).containsExactly(Gap.Kind.RECREATED);
        }
        List<String> expected = new java.util.ArrayList<>(before);
        expected.addAll(values(source.readAll(topic)));
        assertThat(values(destination.readAll(topic))).as("the old topic's records, then the new topic's, once each")
                .containsExactlyElementsOf(expected);
    }

    private void runToTheEnd(String topic, String group, DeliveryGuarantee guarantee, GapPolicy policy) throws InterruptedException {
        try (Mirror mirror = builder(topic, group, guarantee, policy).build()) {
            mirror.start();
            MirrorAssertions.assertThat(mirror).hasCaughtUp(WAIT);
        }
    }

    private MirrorBuilder builder(String topic, String group, DeliveryGuarantee guarantee, GapPolicy policy) {
        return mirror(source, destination, TopicFilter.include(topic), group).guarantee(guarantee).onGap(policy);
    }

    private void recreate(String topic) throws Exception {
        source.admin().deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        await("topic " + topic + " gone", () -> !source.topics().contains(topic));
        await("topic " + topic + " created again", () -> {
            try {
                source.createTopic(topic, 1);
                return true;
            } catch (RuntimeException e) {
                if (e.getCause() instanceof ExecutionException || e instanceof UnknownTopicOrPartitionException
                        || String.valueOf(e.getMessage()).contains("marked for deletion")
                        || String.valueOf(e.getMessage()).contains("already exists")) {
                    return false;
                }
                throw e;
            }
        });
    }

    private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)).toList();
    }
}
