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
        public void acknowledged(InFlightBatch batch, RecordMetadata metadata) {
        }

        @Override
        public boolean failed(InFlightBatch batch, Exception exception) {
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

        second.onCompletion(ack(), null);
        second.onCompletion(ack(), null);
        second.onCompletion(ack(), null);
        assertThat(toCommit(15)).containsEntry(TP, new OffsetAndMetadata(10));

        first.onCompletion(ack(), null);
        assertThat(toCommit(15)).containsEntry(TP, new OffsetAndMetadata(10));

        first.onCompletion(ack(), null);
        assertThat(toCommit(15)).containsEntry(TP, new OffsetAndMetadata(15));
    }

    @Test
    void positionPastTransactionMarkers_isCommittedWhenEverythingIsAcknowledged() {
        tracker.assigned(List.of(TP));
        tracker.send(TP, 0, 1, listener).onCompletion(ack(), null);
        assertThat(toCommit(2)).containsEntry(TP, new OffsetAndMetadata(2));
    }

    @Test
    void nothingPastAFailedRecordIsEverCommitted() {
        tracker.assigned(List.of(TP));
        InFlightBatch first = tracker.send(TP, 0, 2, listener);
        InFlightBatch second = tracker.send(TP, 2, 1, listener);
        first.onCompletion(ack(), null);
        first.onCompletion(null, new RuntimeException("record too large"));
        second.onCompletion(ack(), null);

        assertThat(toCommit(3)).containsEntry(TP, new OffsetAndMetadata(0));
        assertThat(first.failure()).hasMessage("record too large");
        assertThat(failures).hasSize(1);
        assertThat(tracker.hasInFlight()).isTrue();
    }

    @Test
    void unchangedOffsets_areNotCommittedAgain() {
        tracker.assigned(List.of(TP));
        tracker.send(TP, 0, 1, listener).onCompletion(ack(), null);
        tracker.committed(toCommit(1));
        assertThat(toCommit(1)).isEmpty();
        assertThat(toCommit(3)).containsEntry(TP, new OffsetAndMetadata(3));
    }

    @Test
    void removedPartitions_areNotCommitted() {
        tracker.assigned(List.of(TP));
        tracker.send(TP, 0, 1, listener).onCompletion(ack(), null);
        tracker.removed(List.of(TP));
        assertThat(toCommit(1)).isEmpty();
    }
}
