package io.kmirror.internal.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ProducerHeapBudgetTest {

    private static List<TopicPartition> partitions(String topic, int count) {
        List<TopicPartition> list = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            list.add(new TopicPartition(topic, p));
        }
        return list;
    }

    @Test
    void aProcessMayOpenProducersForHalfItsHeap() {
        // 100 partitions of a 100-partition topic: 100 x (180 KiB + 100 x 480 B), about 22 MiB
        ProducerHeapBudget budget = new ProducerHeapBudget(64L << 20, "g", topic -> 100);

        budget.reserve(partitions("orders", 100));
        budget.reserve(partitions("orders", 100)); // the same partitions again (a repeated assignment) count once
    }

    @Test
    void anAssignmentBeyondHalfTheHeapFails_sayingWhatToChange() {
        ProducerHeapBudget budget = new ProducerHeapBudget(256L << 20, "mirrorgroup", topic -> 2000);

        assertThatThrownBy(() -> budget.reserve(partitions("orders", 2000))).isInstanceOf(KafkaException.class)
                .hasMessage("exactly-once runs one transactional producer per source partition, about 1.1 MiB of heap each here"
                        + " (228 KiB plus 480 bytes per partition of its destination topic); this process was assigned 2000"
                        + " partitions, about 2276.4 MiB, more than half of its 256.0 MiB heap: give the JVM more heap (-Xmx5g or"
                        + " more), run more mirror processes in group mirrorgroup so that each owns fewer partitions, or use"
                        + " AT_LEAST_ONCE");
    }

    @Test
    void releasedPartitionsMakeRoomAgain() {
        ProducerHeapBudget budget = new ProducerHeapBudget(200L << 20, "g", topic -> 10);
        budget.reserve(partitions("a", 400)); // about 91 MiB of 100

        assertThatThrownBy(() -> budget.reserve(partitions("b", 400))).isInstanceOf(KafkaException.class);
        budget.release(partitions("a", 400));
        budget.reserve(partitions("b", 400));
        assertThat(budget.cost(new TopicPartition("b", 0))).isEqualTo(228 * 1024 + 10 * 480);
    }
}
