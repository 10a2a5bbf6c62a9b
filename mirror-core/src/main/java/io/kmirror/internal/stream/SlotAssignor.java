package io.kmirror.internal.stream;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * The group's assignor when exactly-once writes through {@link TransactionSlots slots}: it gives every slot's
 * partitions to one member, so that a slot's producer is only ever opened by the member that owns all of its
 * partitions, and a slot's next owner fences the previous one. Slots go to the member with the fewest
 * partitions so far, the largest slots first. A slot whose topics no member subscribes to all of (members
 * differ while a topic list changes) goes to the member subscribing to most of its partitions, with only
 * those: its other partitions wait for a later rebalance rather than split the slot. Every member sends its
 * slot count with its subscription, and the leader refuses a group whose members disagree: their
 * transactional ids would not fence each other.
 *
 * <p>Eager: every member gives up all its partitions at each rebalance, committed, before any is assigned again.
 */
public final class SlotAssignor implements ConsumerPartitionAssignor, Configurable {

    /** The consumer configuration key that carries the slot count to the assignor. */
    public static final String SLOTS_CONFIG = "kmirror.transaction.slots";
    /** The name the group's members agree on. */
    public static final String NAME = "kmirror-slots";

    private int slots;

    @Override
    public void configure(Map<String, ?> configs) {
        Object value = configs.get(SLOTS_CONFIG);
        slots = value == null ? 0 : Integer.parseInt(value.toString().trim());
        if (slots < 1) {
            throw new KafkaException(SLOTS_CONFIG + " must be at least 1 for " + NAME + ", was " + value);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ByteBuffer subscriptionUserData(Set<String> topics) {
        return ByteBuffer.allocate(Integer.BYTES).putInt(0, slots);
    }

    @Override
    public GroupAssignment assign(Cluster metadata, GroupSubscription groupSubscription) {
        Map<String, Subscription> subscriptions = new TreeMap<>(groupSubscription.groupSubscription());
        Map<String, Set<String>> topicsOf = new TreeMap<>();
        subscriptions.forEach((member, subscription) -> {
            topicsOf.put(member, new HashSet<>(subscription.topics()));
            int theirs = slotsOf(subscription);
            if (theirs != slots) {
                throw new KafkaException("the mirror group's members disagree on transactionSlots: this one has " + slots
                        + ", member " + member + " has " + theirs + "; stop every instance and start them all with the same"
                        + " transactionSlots (their transactional ids would not fence each other)");
            }
        });
        Map<Integer, List<TopicPartition>> bySlot = new TreeMap<>();
        topicsOf.values().stream().flatMap(Set::stream).distinct().sorted().forEach(topic -> {
            Integer count = metadata.partitionCountForTopic(topic);
            for (int p = 0; count != null && p < count; p++) {
                TopicPartition tp = new TopicPartition(topic, p);
                bySlot.computeIfAbsent(TransactionSlots.slotOf(tp, slots), k -> new ArrayList<>()).add(tp);
            }
        });
        Map<String, List<TopicPartition>> assigned = new HashMap<>();
        topicsOf.keySet().forEach(member -> assigned.put(member, new ArrayList<>()));
        List<List<TopicPartition>> largestFirst = new ArrayList<>(bySlot.values());
        largestFirst.sort(Comparator.comparingInt(List<TopicPartition>::size).reversed());
        for (List<TopicPartition> slot : largestFirst) {
            String owner = null;
            int ownerCovers = 0;
            for (Map.Entry<String, Set<String>> member : topicsOf.entrySet()) {
                int covers = subscribed(slot, member.getValue()).size();
                if (covers > ownerCovers || covers == ownerCovers && covers > 0
                        && assigned.get(member.getKey()).size() < assigned.get(owner).size()) {
                    owner = member.getKey();
                    ownerCovers = covers;
                }
            }
            if (owner != null) {
                assigned.get(owner).addAll(subscribed(slot, topicsOf.get(owner)));
            }
        }
        Map<String, Assignment> assignments = new HashMap<>();
        assigned.forEach((member, partitions) -> assignments.put(member, new Assignment(partitions)));
        return new GroupAssignment(assignments);
    }

    private static List<TopicPartition> subscribed(List<TopicPartition> slot, Collection<String> topics) {
        return slot.stream().filter(tp -> topics.contains(tp.topic())).toList();
    }

    private static int slotsOf(Subscription subscription) {
        ByteBuffer data = subscription.userData();
        return data == null || data.remaining() < Integer.BYTES ? 0 : data.getInt(data.position());
    }
}
