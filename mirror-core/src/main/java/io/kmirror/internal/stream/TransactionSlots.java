package io.kmirror.internal.stream;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/**
 * Which transactional producer writes a source partition under exactly-once. Without slots ({@code count}
 * 0) every source partition has its own, {@code transactional.id}
 * {@code kmirror-<group>-<source cluster id>-<topic>-<partition>}. With {@code count} slots a partition
 * belongs to slot {@link #slotOf} and is written by that slot's producer,
 * {@code kmirror-<group>-<source cluster id>~slot-<n>-of-<count>} ({@code ~} cannot occur in a topic name,
 * so the two kinds never meet); {@link SlotAssignor} gives each slot's partitions to one member of the group,
 * so a slot's new owner fences its previous one as a partition's does.
 */
public final class TransactionSlots {

    /** The most slots a mirror group may have. */
    public static final int MAX = 4096;
    /** The transactional producers each open slot writes through, taking turns ({@link SlotProducer}). */
    public static final int PRODUCERS_PER_SLOT = 2;

    private final String prefix;
    private final int count;

    /**
     * @param sourceClusterId part of every transactional id, so mirrors from different clusters never fence each other
     * @param count           the number of slots; 0 for a producer per source partition
     */
    public TransactionSlots(String groupId, String sourceClusterId, int count) {
        this.prefix = "kmirror-" + groupId + "-" + sourceClusterId;
        this.count = count;
    }

    /** The slot of {@code tp} among {@code count}: a topic's partitions go round the slots from a point its name picks. */
    public static int slotOf(TopicPartition tp, int count) {
        int start = Utils.toPositive(Utils.murmur2(tp.topic().getBytes(StandardCharsets.UTF_8)));
        return (int) ((start + (long) tp.partition()) % count);
    }

    /** The {@code transactional.id} of the producer that writes {@code tp}. */
    public String transactionalId(TopicPartition tp) {
        return count == 0 ? prefix + "-" + tp.topic() + "-" + tp.partition() : prefix + "~slot-" + slotOf(tp, count) + "-of-" + count;
    }

    /** Whether every source partition has a producer of its own. */
    boolean perPartition() {
        return count == 0;
    }
}
