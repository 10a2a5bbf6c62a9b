package io.kmirror.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.MirrorListener;
import io.kmirror.PartitionHealth;
import io.kmirror.PartitionHealth.State;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class HealthBoardTest {

    private static final TopicPartition TP = new TopicPartition("orders", 3);
    private final List<String> heard = new ArrayList<>();
    private final HealthBoard board = new HealthBoard(new MirrorListener() {
        @Override
        public void onHealthChange(PartitionHealth previous, PartitionHealth current) {
            heard.add((previous == null ? "-" : previous.state()) + "->" + current.state());
        }
    });

    @Test
    void changesReachTheListenerOnce_andSinceStaysWhileTheStateDoes() {
        board.assigned(List.of(TP));
        board.lagging(TP, new TimeoutException("no acknowledgement for 10 s"));
        PartitionHealth first = board.snapshot().get(TP);
        board.lagging(TP, new TimeoutException("no acknowledgement for 11 s"));
        board.ok(TP);
        assertThat(heard).containsExactly("-->OK", "OK->LAGGING", "LAGGING->OK");
        assertThat(first.since()).isNotNull();
        assertThat(board.snapshot().get(TP).cause()).isNull();
    }

    @Test
    void failedIsFinal_andRemovedPartitionsAreForgotten() {
        board.assigned(List.of(TP));
        board.failed(TP, new IllegalStateException("refused"));
        board.ok(TP);
        assertThat(board.state(TP)).isEqualTo(State.FAILED);
        board.removed(List.of(TP));
        assertThat(board.snapshot()).isEmpty();
        assertThat(board.state(TP)).isNull();
    }

    @Test
    void clear_onlyClearsWhatThatCauseMade() {
        TopicPartition paused = new TopicPartition("orders", 4);
        board.assigned(List.of(TP, paused));
        board.lagging(TP, new io.kmirror.internal.stream.StreamStalledException("stream 0 blocked"));
        board.paused(paused, new IllegalStateException("refused"));
        board.clear(List.of(TP, paused), io.kmirror.internal.stream.StreamStalledException.class);
        assertThat(board.state(TP)).isEqualTo(State.OK);
        assertThat(board.state(paused)).isEqualTo(State.PAUSED);
    }
}
