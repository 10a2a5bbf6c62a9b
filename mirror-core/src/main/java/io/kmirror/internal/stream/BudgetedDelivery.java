package io.kmirror.internal.stream;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * An exactly-once delivery whose partitions are counted against the process's {@link ProducerHeapBudget}:
 * an assignment the heap cannot hold producers for fails before any producer is opened.
 */
public final class BudgetedDelivery implements Delivery {

    private final Delivery delivery;
    private final ProducerHeapBudget budget;
    private final Set<TopicPartition> owned = new HashSet<>();

    /** {@code delivery}, its partitions counted in {@code budget}. */
    public BudgetedDelivery(Delivery delivery, ProducerHeapBudget budget) {
        this.delivery = delivery;
        this.budget = budget;
    }

    @Override
    public void assigned(Collection<TopicPartition> partitions) throws InterruptedException {
        budget.reserve(partitions);
        owned.addAll(partitions);
        delivery.assigned(partitions);
    }

    @Override
    public void send(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
        delivery.send(records);
    }

    @Override
    public void throwIfFailed() throws InterruptedException {
        delivery.throwIfFailed();
    }

    @Override
    public void maybeCommit(boolean urgent) {
        delivery.maybeCommit(urgent);
    }

    @Override
    public void revoked(Collection<TopicPartition> partitions) {
        try {
            delivery.revoked(partitions);
        } finally {
            released(partitions);
        }
    }

    @Override
    public void lost(Collection<TopicPartition> partitions) {
        try {
            delivery.lost(partitions);
        } finally {
            released(partitions);
        }
    }

    @Override
    public void restartFromBeginning(Collection<TopicPartition> partitions) {
        delivery.restartFromBeginning(partitions);
    }

    @Override
    public void close(long deadlineNanos) {
        try {
            delivery.close(deadlineNanos);
        } finally {
            released(new ArrayList<>(owned));
        }
    }

    @Override
    public boolean holds(TopicPartition partition) {
        return delivery.holds(partition);
    }

    @Override
    public void stopBy(long deadlineNanos) {
        delivery.stopBy(deadlineNanos);
    }

    @Override
    public void abandon() {
        delivery.abandon();
    }

    @Override
    public OptionalLong oldestUnacknowledgedTimestamp(TopicPartition partition) {
        return delivery.oldestUnacknowledgedTimestamp(partition);
    }

    private void released(Collection<TopicPartition> partitions) {
        owned.removeAll(partitions);
        budget.release(partitions);
    }
}
