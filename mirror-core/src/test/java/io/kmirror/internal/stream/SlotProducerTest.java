package io.kmirror.internal.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.Partitioning;
import io.kmirror.internal.MirrorCounters;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class SlotProducerTest {

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
