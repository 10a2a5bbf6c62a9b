package io.kmirror.internal.produce;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.Partitioning;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

class KeyPreservingProducerTest {

    private static final byte[] KEY = "key-42".getBytes(StandardCharsets.UTF_8);

    @Test
    void preserve_keepsThePartitionNumberWhenTheDestinationHasIt() {
        assertThat(KeyPreservingProducer.partitionFor(5, KEY, 8, Partitioning.PRESERVE)).isEqualTo(5);
    }

    @Test
    void preserve_fallsBackToTheKeysMurmur2Hash() {
        int expected = Utils.toPositive(Utils.murmur2(KEY)) % 3;
        assertThat(KeyPreservingProducer.partitionFor(5, KEY, 3, Partitioning.PRESERVE)).isEqualTo(expected);
    }

    @Test
    void byKey_alwaysHashes_andANullKeyKeepsItsPartitionModuloTheCount() {
        int expected = Utils.toPositive(Utils.murmur2(KEY)) % 8;
        assertThat(KeyPreservingProducer.partitionFor(5, KEY, 8, Partitioning.BY_KEY)).isEqualTo(expected);
        assertThat(KeyPreservingProducer.partitionFor(5, null, 3, Partitioning.BY_KEY)).isEqualTo(2);
    }

    @Test
    void send_passesKeyValueHeadersAndTimestampThroughUntouched() {
        MockProducer<byte[], byte[]> mock = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", new byte[] {1, 2});
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("orders", 2, 7, 1_700_000_000_000L,
                TimestampType.CREATE_TIME, 6, 5, KEY, "value".getBytes(StandardCharsets.UTF_8), headers, java.util.Optional.empty());

        new KeyPreservingProducer(mock, Partitioning.PRESERVE).send(record.partition(), record, new DestinationRoute("eu.orders", 8, true), (m, e) -> { });

        List<ProducerRecord<byte[], byte[]>> sent = mock.history();
        assertThat(sent).hasSize(1);
        ProducerRecord<byte[], byte[]> out = sent.get(0);
        assertThat(out.topic()).isEqualTo("eu.orders");
        assertThat(out.partition()).isEqualTo(2);
        assertThat(out.timestamp()).isEqualTo(1_700_000_000_000L);
        assertThat(out.key()).isEqualTo(KEY);
        assertThat(out.value()).isEqualTo("value".getBytes(StandardCharsets.UTF_8));
        assertThat(out.headers().lastHeader("trace").value()).containsExactly(1, 2);
    }
}
