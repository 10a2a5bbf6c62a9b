package io.kmirror.internal.offsetmap;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * The offset map of one source partition as read back from the map topic, and the translation rule.
 * Not thread-safe: its reader guards it.
 */
public final class PartitionMap {

    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private TopicPartition destination;
    private long coveredUpTo = -1;

    void put(MapEntry entry) {
        segments.put(entry.segment().sourceStart(), entry.segment());
        destination = entry.destination();
        coveredUpTo = Math.max(coveredUpTo, entry.coveredUpTo());
    }

    void remove(long sourceStart) {
        segments.remove(sourceStart);
    }

    /** The destination partition the source partition's records went to. */
    public TopicPartition destination() {
        return destination;
    }

    /** Every record of the source partition below this offset was mirrored (and committed) when the map was written. */
    public long coveredUpTo() {
        return coveredUpTo;
    }

    /**
     * How many segments the map holds: stretches with one offset difference. A mirror that takes a partition over
     * (a restart, a rebalance) writes a record of its own from its first offset on; one that continues its
     * predecessor's stretch with the same difference is counted with it.
     */
    public int segments() {
        int count = 0;
        Segment previous = null;
        for (Segment segment : segments.values()) {
            if (previous == null || previous.sourceEnd() != segment.sourceStart() || previous.delta() != segment.delta()) {
                count++;
            }
            previous = segment;
        }
        return count;
    }

    /** The segments, in source order. */
    List<Segment> segmentList() {
        return List.copyOf(segments.values());
    }

    /**
     * The destination offset from which a reader sees exactly the records at and after source position
     * {@code position}: the last copy of the first mirrored record at or after it; for a position in a gap
     * (a transaction marker, an aborted or compacted record, below the log start) the next record that was
     * mirrored; for a position past the last mirrored record but not past what was committed, the offset
     * after that record. Empty while the mirror has not committed the partition that far.
     */
    public OptionalLong translate(long position) {
        if (segments.isEmpty() || position > coveredUpTo) {
            return OptionalLong.empty();
        }
        Map.Entry<Long, Segment> floor = segments.floorEntry(position);
        if (floor != null && position < effectiveEnd(floor.getValue())) {
            return OptionalLong.of(position + floor.getValue().delta());
        }
        Map.Entry<Long, Segment> next = segments.higherEntry(position);
        if (next != null) {
            return OptionalLong.of(next.getValue().destinationStart());
        }
        Segment last = segments.lastEntry().getValue();
        return OptionalLong.of(last.destinationStart() + effectiveEnd(last) - last.sourceStart());
    }

    /** A segment ends where it ends or where a later one (a replay's last copies) begins. */
    private long effectiveEnd(Segment segment) {
        Long next = segments.higherKey(segment.sourceStart());
        return next == null ? segment.sourceEnd() : Math.min(segment.sourceEnd(), next);
    }
}
