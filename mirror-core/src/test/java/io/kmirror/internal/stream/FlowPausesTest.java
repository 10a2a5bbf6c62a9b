package io.kmirror.internal.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.MirrorListener;
import io.kmirror.PartitionHealth;
import io.kmirror.internal.HealthBoard;
import io.kmirror.internal.control.FlowControl;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FlowPausesTest {

    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition ORDERS_1 = new TopicPartition("orders", 1);
    private static final TopicPartition AUDIT_0 = new TopicPartition("audit", 0);

    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final FlowControl flow = new FlowControl(0);
    private final HealthBoard health = new HealthBoard(new MirrorListener() { });
    private final FlowPauses pauses = new FlowPauses(flow, health);
    private final Set<TopicPartition> heldByDelivery = new HashSet<>();

    @BeforeEach
    void assign() {
        consumer.assign(List.of(ORDERS_0, ORDERS_1, AUDIT_0));
        health.assigned(List.of(ORDERS_0, ORDERS_1, AUDIT_0));
    }

    @Test
    void aPausedTopicsPartitionsArePausedAndShowPaused_theOthersFlow() {
        flow.pause(List.of("orders"));
        assertThat(pauses.apply(consumer, heldByDelivery::contains)).as("a change the stream commits for").isTrue();
        assertThat(consumer.paused()).containsExactlyInAnyOrder(ORDERS_0, ORDERS_1);
        assertThat(health.state(ORDERS_0)).isEqualTo(PartitionHealth.State.PAUSED);
        assertThat(health.snapshot().get(ORDERS_1).cause()).hasMessageContaining("source topic orders is paused");
        assertThat(health.state(AUDIT_0)).isEqualTo(PartitionHealth.State.OK);
        assertThat(pauses.apply(consumer, heldByDelivery::contains)).as("no change since").isFalse();
    }

    @Test
    void resumingReleasesThePartitionsAndTheirHealth_butNotOnesTheDeliveryHolds() {
        flow.pause(List.of("orders"));
        pauses.apply(consumer, heldByDelivery::contains);
        heldByDelivery.add(ORDERS_1); // say its send failed meanwhile and it waits for a retry
        flow.resume(List.of("orders"));
        pauses.apply(consumer, heldByDelivery::contains);
        assertThat(consumer.paused()).containsExactly(ORDERS_1);
        assertThat(health.state(ORDERS_0)).isEqualTo(PartitionHealth.State.OK);
    }

    @Test
    void aPartitionTheDeliveryResumedIsPausedAgainBeforeThePoll() {
        flow.pause(List.of("audit"));
        pauses.apply(consumer, heldByDelivery::contains);
        consumer.resume(List.of(AUDIT_0)); // a delivery that opened or retried it
        pauses.apply(consumer, heldByDelivery::contains);
        assertThat(consumer.paused()).containsExactly(AUDIT_0);
    }

    @Test
    void partitionsAssignedWhileTheirTopicIsPaused_arePausedInTheCallback() {
        flow.pause(List.of("audit"));
        pauses.apply(consumer, heldByDelivery::contains);
        TopicPartition audit1 = new TopicPartition("audit", 1);
        consumer.assign(List.of(ORDERS_0, ORDERS_1, AUDIT_0, audit1));
        pauses.assigned(consumer, List.of(audit1));
        assertThat(consumer.paused()).contains(audit1);
    }

    @Test
    void anExhaustedThrottlePausesEverything_untilItRefills() {
        FlowControl throttled = new FlowControl(1_000_000_000L);
        FlowPauses throttledPauses = new FlowPauses(throttled, health);
        throttled.throttle().fetched(Long.MAX_VALUE / 4); // years in debt
        throttledPauses.apply(consumer, heldByDelivery::contains);
        assertThat(consumer.paused()).containsExactlyInAnyOrder(ORDERS_0, ORDERS_1, AUDIT_0);
        assertThat(health.state(ORDERS_0)).as("throttling is not a health problem").isEqualTo(PartitionHealth.State.OK);
        throttled.throttle().set(0);
        throttledPauses.apply(consumer, heldByDelivery::contains);
        assertThat(consumer.paused()).isEmpty();
    }
}
