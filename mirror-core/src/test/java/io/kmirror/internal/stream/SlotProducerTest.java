package io.kmirror.internal.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.Partitioning;
import io.kmirror.internal.MirrorCounters;
import io.kmirror.internal.produce.DestinationRoute;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class SlotProducerTest {

    private static final TopicPartition SOURCE = new TopicPartition("orders", 0);
    private static final DestinationRoute ROUTE = new DestinationRoute("orders", 1, true);
    private static final ConsumerGroupMetadata GROUP = new ConsumerGroupMetadata("kmirror-offsets-g");

    /** A producer whose {@code commitTransaction} waits for {@link #commitMayEnd}, as a real commit takes round trips. */
    private static final class SlowCommitProducer extends MockProducer<byte[], byte[]> {
        final CountDownLatch commitEntered = new CountDownLatch(1);
        final CountDownLatch commitMayEnd = new CountDownLatch(1);

        SlowCommitProducer() {
            super(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public void commitTransaction() {
            commitEntered.countDown();
            try {
                commitMayEnd.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            super.commitTransaction();
        }
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset) {
        return new ConsumerRecord<>(SOURCE.topic(), SOURCE.partition(), offset, ("k" + offset).getBytes(StandardCharsets.UTF_8),
                ("v" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> values(List<ProducerRecord<byte[], byte[]>> records) {
        return records.stream().map(ProducerRecord::value).map(v -> new String(v, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void fromTheStartOfACommit_newRecordsGoToTheOtherProducer_andAPartitionIsInFlightUntilItsRecordsAreAcknowledged()
            throws Exception {
        Map<String, SlowCommitProducer> producers = new ConcurrentHashMap<>();
        SlotProducer slot = new SlotProducer("kmirror-g-c-orders-0", id -> producers.computeIfAbsent(id, k -> new SlowCommitProducer()),
                Partitioning.PRESERVE, new MirrorCounters(), null);
        slot.open();
        SlowCommitProducer first = producers.get("kmirror-g-c-orders-0");
        SlowCommitProducer second = producers.get("kmirror-g-c-orders-0~2");
        assertThat(first.transactionInitialized()).as("opening fences the previous owner's first producer").isTrue();
        assertThat(second.transactionInitialized()).as("and its second").isTrue();

        slot.send(SOURCE, record(0), ROUTE);
        slot.send(SOURCE, record(1), ROUTE);
        assertThat(slot.hasUnacknowledged(SOURCE)).as("sent, not yet acknowledged").isTrue();
        assertThat(slot.hasUnacknowledged(new TopicPartition("orders", 1))).as("nothing of it sent").isFalse();
        slot.startCommit();
        CompletableFuture<Void> committed = CompletableFuture.runAsync(
                () -> slot.commit(Map.of(SOURCE, new OffsetAndMetadata(2)), Map.of(SOURCE, SOURCE), GROUP));
        assertThat(first.commitEntered.await(10, TimeUnit.SECONDS)).as("the commit flushed, then entered commitTransaction").isTrue();
        assertThat(slot.hasUnacknowledged(SOURCE)).as("acknowledged by the committing producer's flush").isFalse();

        slot.send(SOURCE, record(2), ROUTE);
        assertThat(committed).as("the first commit still runs").isNotDone();
        assertThat(values(first.uncommittedRecords())).containsExactly("v0", "v1");
        assertThat(values(second.uncommittedRecords())).as("the record polled during the commit went out at once, through the other producer")
                .containsExactly("v2");
        assertThat(slot.hasUnacknowledged(SOURCE)).as("now in flight in the other producer").isTrue();
        assertThat(slot.inTransaction()).isTrue();
        assertThat(slot.records()).isEqualTo(1);

        first.commitMayEnd.countDown();
        committed.get(10, TimeUnit.SECONDS);
        assertThat(first.transactionCommitted()).isTrue();
        assertThat(values(first.history())).containsExactly("v0", "v1");
        assertThat(first.consumerGroupOffsetsHistory()).containsExactly(Map.of(GROUP.groupId(), Map.of(SOURCE, new OffsetAndMetadata(2))));

        second.commitMayEnd.countDown();
        slot.startCommit();
        slot.commit(Map.of(SOURCE, new OffsetAndMetadata(3)), Map.of(SOURCE, SOURCE), GROUP);
        assertThat(second.transactionCommitted()).isTrue();
        assertThat(values(second.history())).containsExactly("v2");
        slot.send(SOURCE, record(3), ROUTE);
        assertThat(values(first.uncommittedRecords())).as("after the second commit, the first producer takes the records again").containsExactly("v3");
    }

    @Test
    void aClosedProducerIsNotKept_itsMetadataAndBatchesCanBeCollected() throws InterruptedException {
        WeakReference<?>[] opened = new WeakReference<?>[1];
        SlotProducer transaction = new SlotProducer("kmirror-g-c-orders-0", id -> {
                    MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
                            new ByteArraySerializer());
                    opened[0] = new WeakReference<>(producer);
                    return producer;
                }, Partitioning.PRESERVE, new MirrorCounters(), null);
        transaction.open();

        transaction.close(Duration.ZERO);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (opened[0].get() != null && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(opened[0].get()).as("the closed producer, still referenced (partitions taking turns close thousands)").isNull();
    }
}
