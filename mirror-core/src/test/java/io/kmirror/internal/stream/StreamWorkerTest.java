package io.kmirror.internal.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmirror.GapPolicy;
import io.kmirror.MirrorListener;
import io.kmirror.Partitioning;
import io.kmirror.RecordTransformer;
import io.kmirror.SendFailurePolicy;
import io.kmirror.internal.ClusterAccess;
import io.kmirror.internal.HealthBoard;
import io.kmirror.internal.control.FlowControl;
import io.kmirror.internal.MirrorCounters;
import io.kmirror.internal.produce.DestinationRoute;
import io.kmirror.internal.produce.DestinationRoutes;
import io.kmirror.internal.produce.KeyPreservingProducer;
import io.kmirror.internal.topics.Subscription;
import io.kmirror.internal.topics.SubscriptionHolder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stream's poll → send → acknowledge → commit loop, with kafka-clients' mock consumer and producer. */
class StreamWorkerTest {

    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);

    /** Remembers every commit: MockConsumer.committed() answers 0 for partitions no longer assigned. */
    private static final class RecordingConsumer extends MockConsumer<byte[], byte[]> {
        final Map<TopicPartition, Long> commits = new java.util.concurrent.ConcurrentHashMap<>();

        /** Partitions whose lag the stream asked for: a real consumer sends a list-offsets request for each unknown one. */
        final Set<TopicPartition> lagAsked = java.util.concurrent.ConcurrentHashMap.newKeySet();

        RecordingConsumer() {
            super("earliest");
        }

        @Override
        public synchronized java.util.OptionalLong currentLag(TopicPartition topicPartition) {
            lagAsked.add(topicPartition);
            return super.currentLag(topicPartition);
        }

        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets,
                org.apache.kafka.clients.consumer.OffsetCommitCallback callback) {
            offsets.forEach((tp, om) -> commits.put(tp, om.offset()));
            super.commitAsync(offsets, callback);
        }
    }

    private RecordingConsumer consumer;
    private MockProducer<byte[], byte[]> producer;
    private MirrorCounters counters;
    /** Every topic goes to "copy.<topic>" with 2 partitions; those in {@link #unwritable} have no leader yet. */
    private static final class FixedRoutes implements DestinationRoutes {
        final Set<TopicPartition> unwritable = new java.util.concurrent.CopyOnWriteArraySet<>();

        @Override
        public Optional<DestinationRoute> route(String sourceTopic) {
            return Optional.of(new DestinationRoute("copy." + sourceTopic, 2, true));
        }

        @Override
        public boolean writable(String destinationTopic, int partition) {
            return !unwritable.contains(new TopicPartition(destinationTopic, partition));
        }

        @Override
        public boolean allWritable() {
            return unwritable.isEmpty();
        }

        @Override
        public DestinationRoute grow(String sourceTopic, int sourcePartitions) {
            throw new AssertionError("no partition beyond the destination's is expected");
        }
    }

    private final FixedRoutes routes = new FixedRoutes();
    private final List<Throwable> failures = new ArrayList<>();
    private final List<String> ready = new ArrayList<>();
    private StreamWorker stream;

    @BeforeEach
    void setUp() throws InterruptedException {
        startStream(RecordTransformer.identity(), SendFailurePolicy.FAIL);
    }

    /** A stream with fresh mock clients, subscribed to "orders" and assigned both its partitions. */
    private void startStream(RecordTransformer transformer, SendFailurePolicy policy) throws InterruptedException {
        consumer = new RecordingConsumer();
        producer = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        counters = new MirrorCounters();
        SubscriptionHolder subscriptions = new SubscriptionHolder();
        StreamWorker.Owner owner = new StreamWorker.Owner() {
            @Override
            public void streamReady(StreamWorker s) {
                ready.add("stream-" + s.id());
            }

            @Override
            public void streamFailed(StreamWorker s, Throwable cause) {
                failures.add(cause);
            }
        };
        HealthBoard health = new HealthBoard(new MirrorListener() { });
        StreamContext context = new StreamContext(0, consumer,
                new Outbound(consumer, routes, transformer, Partitioning.PRESERVE, true, null, counters), counters, health, policy,
                InitialPosition.of("earliest"), topic -> null, ClusterAccess.destination(Map.of()), topic -> false);
        Delivery delivery = new AtLeastOnceDelivery(context, new KeyPreservingProducer(producer, Partitioning.PRESERVE),
                Duration.ofHours(1), Duration.ofMinutes(2), null);
        stream = new StreamWorker(0, consumer, delivery, new StreamShared(subscriptions, counters, health,
                new MirrorListener() { }, () -> true, GapPolicy.FAIL, new FlowControl(0), routes, Partitioning.PRESERVE), owner);
        subscriptions.publish(new Subscription(1, Set.of("orders")));
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        stream.runOnce();
        consumer.rebalance(List.of(P0, P1));
    }

    private void addRecords(TopicPartition tp, long from, int count) {
        for (long offset = from; offset < from + count; offset++) {
            consumer.addRecord(new ConsumerRecord<>(tp.topic(), tp.partition(), offset,
                    ("k" + offset).getBytes(StandardCharsets.UTF_8), ("v" + offset).getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** The last offset committed for {@code tp}, 0 when none was. */
    private long committed(TopicPartition tp) {
        return consumer.commits.getOrDefault(tp, 0L);
    }

    @Test
    void subscribesToThePublishedTopics_andIsReadyOncePositioned() throws InterruptedException {
        stream.runOnce();
        assertThat(consumer.subscription()).containsExactly("orders");
        assertThat(ready).containsExactly("stream-0");
    }

    @Test
    void rightAfterAnAssignment_lagIsAskedOnlyOfPartitionsAPollReturnedRecordsOf() throws InterruptedException {
        addRecords(P0, 0, 3);
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos(); // lag is updated every 100 ms
        while (consumer.lagAsked.isEmpty() && System.nanoTime() < deadline) {
            stream.runOnce();
        }

        assertThat(producer.history()).hasSize(3);
        assertThat(consumer.lagAsked).as("P1's end offset is unknown until a fetch of it returns").containsExactly(P0);
    }

    @Test
    void sendsEveryRecordToTheSamePartitionOfTheDestinationTopic() throws InterruptedException {
        addRecords(P0, 0, 3);
        addRecords(P1, 0, 2);
        stream.runOnce();
        assertThat(producer.history()).extracting(r -> r.topic() + "-" + r.partition() + ":" + new String(r.value(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder("copy.orders-0:v0", "copy.orders-0:v1", "copy.orders-0:v2",
                        "copy.orders-1:v0", "copy.orders-1:v1");
    }

    @Test
    void aDestinationPartitionWithoutLeaderYet_holdsBackItsSourcePartition_untilItIsWritable() throws InterruptedException {
        routes.unwritable.add(new TopicPartition("copy.orders", 0));
        addRecords(P0, 0, 3);
        addRecords(P1, 0, 2);
        stream.runOnce();

        assertThat(sent()).containsExactly("copy.orders-1:v0", "copy.orders-1:v1");
        assertThat(consumer.paused()).containsExactly(P0);
        producer.completeNext();
        producer.completeNext();
        stream.runOnce();
        assertThat(committed(P1)).isEqualTo(2);
        assertThat(committed(P0)).isZero();

        routes.unwritable.clear();
        stream.runOnce();
        assertThat(consumer.paused()).isEmpty();
        assertThat(sent()).containsExactly("copy.orders-1:v0", "copy.orders-1:v1", "copy.orders-0:v0", "copy.orders-0:v1",
                "copy.orders-0:v2");
    }

    @Test
    void recordsFetchedForADestinationPartitionThatIsNotWritable_areFetchedAgainOnceItIs() throws InterruptedException {
        addRecords(P0, 0, 3);
        addRecords(P1, 0, 2);
        consumer.schedulePollTask(() -> routes.unwritable.add(new TopicPartition("copy.orders", 0))); // after the fetch was sent
        stream.runOnce();

        assertThat(sent()).containsExactly("copy.orders-1:v0", "copy.orders-1:v1");
        assertThat(consumer.paused()).containsExactly(P0);
        assertThat(consumer.position(P0)).as("positioned back on its first record").isZero();

        routes.unwritable.clear();
        stream.runOnce();
        addRecords(P0, 0, 3); // fetched again
        stream.runOnce();
        assertThat(sent()).containsExactly("copy.orders-1:v0", "copy.orders-1:v1", "copy.orders-0:v0", "copy.orders-0:v1",
                "copy.orders-0:v2");
    }

    private List<String> sent() {
        return producer.history().stream().map(r -> r.topic() + "-" + r.partition() + ":" + new String(r.value(), StandardCharsets.UTF_8))
                .toList();
    }

    @Test
    void commitsNothingUntilTheDestinationAcknowledges_thenOnlyTheAcknowledgedPrefix() throws InterruptedException {
        addRecords(P0, 0, 3);
        stream.runOnce();
        assertThat(committed(P0)).isZero();

        producer.completeNext();
        stream.runOnce();
        assertThat(committed(P0)).isZero(); // the poll's batch of 3 is not fully acknowledged yet

        producer.completeNext();
        producer.completeNext();
        stream.runOnce();
        assertThat(committed(P0)).isEqualTo(3);
        assertThat(counters.snapshot().recordsMirrored()).isEqualTo(3);
    }

    @Test
    void aSendThatFailsForGood_stopsTheStream_andCommitsNothingPastIt() throws InterruptedException {
        addRecords(P0, 0, 2);
        stream.runOnce();
        producer.completeNext();
        producer.completeNext();
        stream.runOnce();
        addRecords(P0, 2, 2);
        stream.runOnce();
        producer.errorNext(new RecordTooLargeException("too large"));
        producer.completeNext();

        assertThatThrownBy(stream::runOnce)
                .isInstanceOf(KafkaException.class)
                .hasMessageContaining("refused the record at offset 2 of source partition orders-0")
                .hasRootCauseInstanceOf(RecordTooLargeException.class);
        assertThat(committed(P0)).isEqualTo(2);
    }

    @Test
    void skipPolicy_countsTheRefusedRecord_andGoesOn() throws InterruptedException {
        startStream(RecordTransformer.identity(), SendFailurePolicy.SKIP);
        addRecords(P0, 0, 2);
        stream.runOnce();
        producer.errorNext(new RecordTooLargeException("too large"));
        producer.completeNext();
        stream.runOnce();
        assertThat(committed(P0)).isEqualTo(2);
        assertThat(counters.snapshot().recordsSkipped()).isEqualTo(1);
        assertThat(counters.snapshot().recordsMirrored()).isEqualTo(1);
    }

    @Test
    void transformer_rewritesAndDrops_andDroppedRecordsCountAsDone() throws InterruptedException {
        RecordTransformer dropEmptyValues = r -> r.value().length == 2 ? null : r; // "v0".."v9" are 2 bytes
        RecordTransformer upperCase = r -> new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.key(),
                new String(r.value(), StandardCharsets.UTF_8).toUpperCase().getBytes(StandardCharsets.UTF_8));
        startStream(dropEmptyValues.andThen(upperCase), SendFailurePolicy.FAIL);
        addRecords(P0, 8, 4); // v8, v9 are dropped; v10, v11 are sent as V10, V11
        stream.runOnce();
        assertThat(producer.history()).extracting(r -> new String(r.value(), StandardCharsets.UTF_8)).containsExactly("V10", "V11");
        producer.completeNext();
        producer.completeNext();
        stream.runOnce();
        assertThat(committed(P0)).isEqualTo(12);
        assertThat(counters.snapshot().recordsDropped()).isEqualTo(2);
    }

    @Test
    void transformerThatThrows_stopsTheStream_namingTheRecord() throws InterruptedException {
        startStream(r -> {
            throw new IllegalArgumentException("bad record");
        }, SendFailurePolicy.FAIL);
        addRecords(P1, 5, 1);
        assertThatThrownBy(stream::runOnce).isInstanceOf(KafkaException.class)
                .hasMessageContaining("the record transformer threw on source record orders-1@5");
        assertThat(committed(P1)).isZero();
    }

    @Test
    void revokedPartitions_areDrainedAndCommittedBeforeTheyGo() throws InterruptedException {
        addRecords(P0, 0, 4);
        stream.runOnce();
        assertThat(producer.history()).hasSize(4);
        consumer.rebalance(List.of(P1)); // flushes the producer, which completes the in-flight sends
        assertThat(committed(P0)).isEqualTo(4);
    }

    @Test
    void stopRequested_drainsCommitsAndClosesTheConsumerAndTheStreamsProducer() {
        addRecords(P0, 0, 5);
        Thread thread = new Thread(stream);
        thread.start();
        awaitHistory(5);
        stream.requestStop();
        while (thread.isAlive() && producer.completeNext()) {
            Thread.onSpinWait(); // the destination acknowledges while the stream drains
        }
        join(thread);
        assertThat(consumer.closed()).isTrue();
        assertThat(producer.closed()).as("the stream's own producer is closed with it").isTrue();
        assertThat(committed(P0)).as("flushed, then committed before the close").isEqualTo(5);
        assertThat(failures).isEmpty();
        assertThat(producer.history()).hasSize(5);
    }

    private void awaitHistory(int records) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (producer.history().size() < records) {
            assertThat(System.nanoTime()).as("records sent within 10 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertThat(thread.isAlive()).as("stream thread stopped").isFalse();
    }
}
