package io.kmirror.internal.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ProducerHeapBudgetTest {

    private static final long BUFFER_MEMORY = 1024 * 1024 + 64 * 1024;

    private static int reserveAll(ProducerHeapBudget budget, String topic, int count) {
        int reserved = 0;
        for (int p = 0; p < count; p++) {
            if (budget.tryReserve(new TopicPartition(topic, p))) {
                reserved++;
            }
        }
        return reserved;
    }

    @Test
    void eachStreamMayOpenProducersForItsShareOfHalfTheHeap() {
        // a producer for a 2,000-partition topic: 164 KiB + 1,088 KiB of buffer + 2,000 x 480 B, about 2.1 MiB, and a
        // partition has two: 64 MiB holds 14 partitions
        ProducerHeapBudget budget = ProducerHeapBudget.forStream(256L << 20, 0, 2, 0, BUFFER_MEMORY, topic -> 2000);

        assertThat(reserveAll(budget, "orders", 2000)).isEqualTo(14);
        assertThat(budget.tryReserve(new TopicPartition("orders", 0))).as("counted already").isTrue();
        assertThat(budget.describe(new TopicPartition("orders", 0)))
                .isEqualTo("what fits in 64.0 MiB, its share of half the 256.0 MiB heap (about 4.3 MiB a partition of orders, two producers)");
    }

    @Test
    void releasedProducersMakeRoomAgain() {
        ProducerHeapBudget budget = ProducerHeapBudget.forStream(400L << 20, 0, 1, 0, BUFFER_MEMORY, topic -> 10);
        assertThat(reserveAll(budget, "a", 50)).isEqualTo(50); // about 123 MiB of 200

        assertThat(reserveAll(budget, "b", 400)).isEqualTo(31);
        for (int p = 0; p < 50; p++) {
            budget.release(new TopicPartition("a", p));
        }
        assertThat(reserveAll(budget, "b", 400)).isEqualTo(81);
        assertThat(budget.cost(new TopicPartition("b", 0))).isEqualTo(2 * (164 * 1024 + BUFFER_MEMORY + 10 * 480));
    }

    @Test
    void aProducerLargerThanTheWholeShare_opensAlone() {
        ProducerHeapBudget budget = ProducerHeapBudget.forStream(1L << 20, 0, 1, 0, BUFFER_MEMORY, topic -> 100_000);

        assertThat(reserveAll(budget, "huge", 3)).isEqualTo(1);
    }

    @Test
    void maxOpenTransactionsIsSplitBetweenTheStreams() {
        assertThat(reserveAll(ProducerHeapBudget.forStream(1L << 30, 5, 2, 0, BUFFER_MEMORY, topic -> 10), "a", 10)).isEqualTo(3);
        ProducerHeapBudget second = ProducerHeapBudget.forStream(1L << 30, 5, 2, 1, BUFFER_MEMORY, topic -> 10);
        assertThat(reserveAll(second, "a", 10)).isEqualTo(2);
        assertThat(second.describe(new TopicPartition("a", 0))).startsWith("at most 2 partitions' producers (its share of maxOpenTransactions) and ");
    }
}
