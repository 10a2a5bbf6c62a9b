package io.kmirror.internal.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ProducerTurnsTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int MAX_POLL_RECORDS = 500;

    private final ProducerTurns turns = new ProducerTurns(ProducerHeapBudget.forStream(1L << 30, 2, 1, 0, 1 << 20, topic -> 4), 0,
            MAX_POLL_RECORDS);

    private static List<TopicPartition> partitions(int count) {
        List<TopicPartition> list = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            list.add(new TopicPartition("t", p));
        }
        return list;
    }

    @Test
    void partitionsBeyondTheBudgetWait_andAQuietOneYields_toThePartitionThatWaitedLongest() {
        List<TopicPartition> all = partitions(4);
        assertThat(turns.admit(all)).containsExactly(all.get(0), all.get(1));
        assertThat(turns.anyWaiting()).isTrue();
        turns.opened(all.get(0), 0);
        turns.opened(all.get(1), 0);

        turns.polled(all.get(0), 900 * MS);
        assertThat(turns.dueToYield(all.subList(0, 2), 999 * MS, tp -> false)).as("nobody quiet for a second yet").isEmpty();
        assertThat(turns.dueToYield(all.subList(0, 2), 1000 * MS, tp -> false)).containsExactly(all.get(1));

        turns.yielded(all.get(1));
        assertThat(turns.next()).containsExactly(all.get(2));
        turns.opened(all.get(2), 1000 * MS);
        assertThat(turns.next()).as("no room").isEmpty();
    }

    @Test
    void aPartitionReadToItsEnd_yieldsAtOnce_butOnlyOnALagFetchedInThisTurn() {
        List<TopicPartition> all = partitions(3);
        turns.admit(all).forEach(tp -> turns.opened(tp, 0));

        assertThat(turns.dueToYield(all.subList(0, 2), 10 * MS, tp -> true)).as("lag 0 from before this turn").isEmpty();
        turns.polled(all.get(0), 5 * MS);
        assertThat(turns.dueToYield(all.subList(0, 2), 10 * MS, tp -> true)).containsExactly(all.get(0));
        assertThat(turns.dueToYield(all.subList(0, 2), 10 * MS, tp -> false)).as("more to read").isEmpty();
        turns.polled(all.get(0), 59_990 * MS);
        assertThat(turns.dueToYield(all.subList(0, 2), 60_000 * MS, tp -> false))
                .as("busy, however long: only the quiet one, whose records cannot be buffered in the consumer").containsExactly(all.get(1));
    }

    @Test
    void noPartitionIsQuiet_whilePollsMayHaveLeftRecordsBuffered() {
        List<TopicPartition> all = partitions(3);
        turns.admit(all).forEach(tp -> turns.opened(tp, 0));

        turns.polled(MAX_POLL_RECORDS, 500 * MS);
        assertThat(turns.dueToYield(all.subList(0, 2), 1400 * MS, tp -> false)).isEmpty();
        turns.polled(MAX_POLL_RECORDS - 1, 1450 * MS);
        assertThat(turns.dueToYield(all.subList(0, 2), 1500 * MS, tp -> false)).hasSize(1);
    }

    @Test
    void noMoreYieldThanWait_andNothingYieldsWhenNobodyWaits() {
        List<TopicPartition> two = partitions(2);
        turns.admit(two).forEach(tp -> turns.opened(tp, 0));
        assertThat(turns.dueToYield(two, 10_000 * MS, tp -> false)).as("nobody waits").isEmpty();

        turns.admit(List.of(new TopicPartition("t", 9)));
        assertThat(turns.dueToYield(two, 10_000 * MS, tp -> false)).hasSize(1);

        turns.removed(List.of(new TopicPartition("t", 9)));
        assertThat(turns.anyWaiting()).isFalse();
    }
}
