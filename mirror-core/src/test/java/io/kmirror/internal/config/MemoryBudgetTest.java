package io.kmirror.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {

    private static final long MIB = MemoryBudget.MIB;

    @Test
    void smallHeapGetsFetchesAndBuffersOfAQuarterOfIt() {
        MemoryBudget budget = new MemoryBudget(256 * MIB, 2);

        assertThat(budget.fetchMaxBytes()).isEqualTo(16 * MIB);
        assertThat(budget.bufferMemory(Map.of())).isEqualTo(16 * MIB);
    }

    @Test
    void largeHeapKeepsKafkasDefaults() {
        MemoryBudget budget = new MemoryBudget(8192 * MIB, 2);

        assertThat(budget.fetchMaxBytes()).isEqualTo(50 * MIB);
        assertThat(budget.bufferMemory(Map.of())).isEqualTo(32 * MIB);
    }

    @Test
    void tinyHeapStillFetchesAndBuffersSomething() {
        MemoryBudget budget = new MemoryBudget(32 * MIB, 16);

        assertThat(budget.fetchMaxBytes()).isEqualTo(MIB);
        assertThat(budget.bufferMemory(Map.of())).isEqualTo(4 * MIB);
    }

    @Test
    void bufferHoldsTheLargestRecordTheUserAllows() {
        MemoryBudget budget = new MemoryBudget(32 * MIB, 16);

        assertThat(budget.bufferMemory(Map.of("max.request.size", "10485760"))).isEqualTo(10 * MIB);
        assertThat(MemoryBudget.partitionBufferMemory(Map.of("max.request.size", 10 * MIB, "batch.size", "65536")))
                .isEqualTo(10 * MIB + 65536);
    }

    @Test
    void partitionProducersGetABatchAndTheLargestRecord() {
        assertThat(MemoryBudget.partitionBufferMemory(Map.of())).isEqualTo(MIB + 64 * 1024);
    }

    @Test
    void badNumbersAreLeftToTheClientToReport() {
        assertThat(MemoryBudget.partitionBufferMemory(Map.of("max.request.size", "lots"))).isEqualTo(MIB + 64 * 1024);
    }
}
