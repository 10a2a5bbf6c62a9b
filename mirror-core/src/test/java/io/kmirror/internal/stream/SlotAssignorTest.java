package io.kmirror.internal.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.GroupSubscription;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class SlotAssignorTest {

    private static final Node NODE = new Node(0, "localhost", 9092);

    @Test
    void everySlotGoesWhole_toOneMember_andTheMembersShareThePartitionsEvenly() {
        SlotAssignor assignor = assignor(16);
        Cluster cluster = cluster(Map.of("orders", 2000, "payments", 10));
        Map<String, Subscription> members = new HashMap<>();
        for (String member : List.of("a", "b", "c")) {
            members.put(member, subscription(assignor, "orders", "payments"));
        }

        Map<String, List<TopicPartition>> assigned = assign(assignor, cluster, members);

        Map<Integer, String> ownerOfSlot = new HashMap<>();
        Set<TopicPartition> all = new HashSet<>();
        assigned.forEach((member, partitions) -> partitions.forEach(tp -> {
            assertThat(all.add(tp)).as("%s assigned twice", tp).isTrue();
            String previous = ownerOfSlot.putIfAbsent(TransactionSlots.slotOf(tp, 16), member);
            assertThat(previous == null || previous.equals(member)).as("slot of %s split between %s and %s", tp, previous, member)
                    .isTrue();
        }));
        assertThat(all).hasSize(2010);
        assertThat(assigned.values()).allSatisfy(partitions -> assertThat(partitions.size()).isBetween(2010 / 3 - 130, 2010 / 3 + 130));
    }

    @Test
    void aSlotWhoseTopicsNoMemberSubscribesToAll_goesToTheMemberWithMostOfIt_withOnlyThose() {
        SlotAssignor assignor = assignor(1);
        Cluster cluster = cluster(Map.of("orders", 3, "payments", 2));
        Map<String, Subscription> members = Map.of(
                "a", subscription(assignor, "orders"),
                "b", subscription(assignor, "payments"));

        Map<String, List<TopicPartition>> assigned = assign(assignor, cluster, members);

        assertThat(assigned.get("a")).containsExactlyInAnyOrder(new TopicPartition("orders", 0), new TopicPartition("orders", 1),
                new TopicPartition("orders", 2));
        assertThat(assigned.get("b")).as("one slot: never split between members").isEmpty();
    }

    @Test
    void membersThatDisagreeOnTheSlotCount_areRefused_namingTheSetting() {
        Cluster cluster = cluster(Map.of("orders", 4));
        Map<String, Subscription> members = Map.of(
                "a", subscription(assignor(16), "orders"),
                "b", subscription(assignor(32), "orders"));

        assertThatThrownBy(() -> assign(assignor(16), cluster, members)).isInstanceOf(KafkaException.class)
                .hasMessageContaining("disagree on transactionSlots").hasMessageContaining("32");
    }

    @Test
    void slotsSpreadATopicsPartitionsEvenly() {
        int[] perSlot = new int[64];
        for (int p = 0; p < 2000; p++) {
            perSlot[TransactionSlots.slotOf(new TopicPartition("orders", p), 64)]++;
        }
        for (int count : perSlot) {
            assertThat(count).isBetween(31, 32);
        }
    }

    private static SlotAssignor assignor(int slots) {
        SlotAssignor assignor = new SlotAssignor();
        assignor.configure(Map.of(SlotAssignor.SLOTS_CONFIG, slots));
        return assignor;
    }

    private static Subscription subscription(SlotAssignor assignor, String... topics) {
        return new Subscription(List.of(topics), assignor.subscriptionUserData(Set.of(topics)));
    }

    private static Map<String, List<TopicPartition>> assign(SlotAssignor assignor, Cluster cluster, Map<String, Subscription> members) {
        Map<String, List<TopicPartition>> assigned = new HashMap<>();
        assignor.assign(cluster, new GroupSubscription(members)).groupAssignment()
                .forEach((member, assignment) -> assigned.put(member, assignment.partitions()));
        return assigned;
    }

    private static Cluster cluster(Map<String, Integer> topics) {
        List<PartitionInfo> partitions = new ArrayList<>();
        topics.forEach((topic, count) -> {
            for (int p = 0; p < count; p++) {
                partitions.add(new PartitionInfo(topic, p, NODE, new Node[] {NODE}, new Node[] {NODE}));
            }
        });
        return new Cluster("c", List.of(NODE), partitions, Set.of(), Set.of());
    }
}
