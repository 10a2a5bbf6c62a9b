package io.kmirror.internal.offsets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    private static final TopicPartition TP = new TopicPartition("orders", 0);
    private final List<Exception> failures = new ArrayList<>();
    private final InFlightBatch.AckListener listener = new InFlightBatch.AckListener() {
        @Override
        public void acknowledged(InFlightBatch batch, long sourceOffset, RecordMetadata metadata) {
        }

        @Override
        public boolean failed(InFlightBatch batch, long sourceOffset, Exception exception) {
            failures.add(exception);
            return false;
        }
    };
    private final OffsetTracker tracker = new OffsetTracker();

    private static RecordMetadata ack() {
        return new RecordMetadata(new TopicPartition("orders", 0), 0, 0, 0, 1, 1);
    }

    private Map<TopicPartition, OffsetAndMetadata> toCommit(long position) {
        return tracker.toCommit(tp -> position);
    }

    @Test
    void commitsOnlyAcknowledgedPrefix() {
        tracker.assigned(List.of(TP));
        InFlightBatch first = tracker.send(TP, 10, 2, listener);
        InFlightBatch second = tracker.send(TP, 12, 3, listener);

        second.callbackFor(12).onCompletion(ack(), null);
        second.callbackFor(13).onCompletion(ack(), null);
        second.callbackFor(14).onCompletion(ack(), null);
        assertThat(toCommit(15)).containsEntry(TP, new OffsetAndMetadata(10));

        first.callbackFor(10).onCompletion(ack(), null);
        assertThat(toCommit(15)).containsEntry(TP, new OffsetAndMetadata(10));

        first.callbackFor(11).onCompletion(ack(), null);
        assertThat(toCommit(15)).containsEntry(TP, new OffsetAndMetadata(15));
    }

    @Test
    void positionPastTransactionMarkers_isCommittedWhenEverythingIsAcknowledged() {
        tracker.assigned(List.of(TP));
        tracker.send(TP, 0, 1, listener).callbackFor(0).onCompletion(ack(), null);
        assertThat(toCommit(2)).containsEntry(TP, new OffsetAndMetadata(2));
    }

    @Test
    void nothingFromAFailedRecordOnIsEverCommitted() {
        tracker.assigned(List.of(TP));
        InFlightBatch first = tracker.send(TP, 0, 3, listener);
        InFlightBatch second = tracker.send(TP, 3, 1, listener);
        first.callbackFor(0).onCompletion(ack(), null);
        first.callbackFor(1).onCompletion(null, new RuntimeException("record too large"));
        second.callbackFor(3).onCompletion(ack(), null);
        assertThat(toCommit(4)).as("record 2 has no outcome yet").containsEntry(TP, new OffsetAndMetadata(0));
        assertThat(tracker.isSettled(TP)).isFalse();

        first.callbackFor(2).onCompletion(ack(), null);
        assertThat(toCommit(4)).as("every record below the failed one is acknowledged").containsEntry(TP, new OffsetAndMetadata(1));
        assertThat(tracker.isSettled(TP)).isTrue();
        assertThat(tracker.firstFailedOffset(TP)).isEqualTo(1);
        assertThat(first.failure()).hasMessage("record too large");
        assertThat(failures).hasSize(1);
        assertThat(tracker.hasInFlight()).as("every record has an outcome").isFalse();
    }

    @Test
    void abandonedRecords_countAsFailed_soTheBatchSettles() {
        tracker.assigned(List.of(TP));
        InFlightBatch batch = tracker.send(TP, 5, 4, listener);
        batch.callbackFor(5).onCompletion(ack(), null);
        batch.abandon(6, 3);
        assertThat(tracker.isSettled(TP)).isTrue();
        assertThat(toCommit(9)).containsEntry(TP, new OffsetAndMetadata(6));
    }

    @Test
    void restart_forgetsTheBatches_butKeepsTheLastCommit() {
        tracker.assigned(List.of(TP));
        tracker.send(TP, 0, 1, listener).callbackFor(0).onCompletion(ack(), null);
        tracker.committed(toCommit(1));
        InFlightBatch failed = tracker.send(TP, 1, 1, listener);
        failed.callbackFor(1).onCompletion(null, new RuntimeException("refused"));
        tracker.restart(TP);
        assertThat(tracker.hasInFlight()).isFalse();
        assertThat(toCommit(1)).as("already committed").isEmpty();
    }

    @Test
    void unchangedOffsets_areNotCommittedAgain() {
        tracker.assigned(List.of(TP));
        tracker.send(TP, 0, 1, listener).callbackFor(0).onCompletion(ack(), null);
        tracker.committed(toCommit(1));
        assertThat(toCommit(1)).isEmpty();
        assertThat(toCommit(3)).containsEntry(TP, new OffsetAndMetadata(3));
    }

    @Test
    void removedPartitions_areNotCommitted() {
        tracker.assigned(List.of(TP));
        tracker.send(TP, 0, 1, listener).callbackFor(0).onCompletion(ack(), null);
        tracker.removed(List.of(TP));
        assertThat(toCommit(1)).isEmpty();
    }
}
