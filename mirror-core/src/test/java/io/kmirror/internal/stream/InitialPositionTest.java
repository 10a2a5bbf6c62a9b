package io.kmirror.internal.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class InitialPositionTest {

    private static final TopicPartition TP = new TopicPartition("orders", 0);

    private static MockConsumer<byte[], byte[]> consumerAt(long begin, long end) {
        MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("none");
        consumer.assign(List.of(TP));
        consumer.updateBeginningOffsets(Map.of(TP, begin));
        consumer.updateEndOffsets(Map.of(TP, end));
        return consumer;
    }

    @Test
    void earliestIsTheDefault_latestStartsAtTheEnd() {
        MockConsumer<byte[], byte[]> consumer = consumerAt(5, 42);
        InitialPosition.of(null).apply(consumer, List.of(TP));
        assertThat(consumer.position(TP)).isEqualTo(5);
        InitialPosition latest = InitialPosition.of("latest");
        latest.apply(consumer, List.of(TP));
        assertThat(consumer.position(TP)).isEqualTo(42);
        assertThat(latest.isLatest()).isTrue();
    }

    @Test
    void none_refusesToGuess_namingThePartitions() {
        assertThatThrownBy(() -> InitialPosition.of("none").apply(consumerAt(0, 1), List.of(TP)))
                .isInstanceOf(KafkaException.class)
                .hasMessageContaining("source partitions [orders-0] have no committed offset")
                .hasMessageContaining("set auto.offset.reset=earliest or latest");
    }

    @Test
    void anEmptyCollection_positionsNothing() {
        MockConsumer<byte[], byte[]> consumer = consumerAt(5, 42);
        consumer.seek(TP, 17);
        InitialPosition.of("earliest").apply(consumer, List.of());
        assertThat(consumer.position(TP)).as("not every assigned partition, as seekToBeginning(empty) would").isEqualTo(17);
    }

    @Test
    void byDuration_isParsed_andShown() {
        assertThat(InitialPosition.of("by_duration:PT1H")).hasToString("by_duration:PT1H");
    }
}
