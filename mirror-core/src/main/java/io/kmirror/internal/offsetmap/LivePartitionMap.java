package io.kmirror.internal.offsetmap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.annotation.Nullable;
import org.apache.kafka.common.TopicPartition;

/**
 * The offset map of one source partition as the mirror writes it: built from the destination's
 * acknowledgements (source offset → destination offset), stored when the partition's offsets are
 * committed. A record acknowledged again after a replay replaces what was recorded from its offset on,
 * so the map points at the last copy. Thread-safe: acknowledgements arrive on the producer's thread.
 */
final class LivePartitionMap {

    private final TopicPartition source;
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    @Nullable
    private TopicPartition destination;
    /** Records went to more than one destination partition: no single position to translate to. */
    private boolean scattered;
    /** The last segment written to the map topic, as written; null before the first write. */
    @Nullable
    private Segment lastStored;
    private long storedCoveredUpTo = -1;

    LivePartitionMap(TopicPartition source) {
        this.source = source;
    }

    /** The destination acknowledged the record at {@code sourceOffset} at {@code destinationOffset} of {@code to}. */
    synchronized void acknowledged(long sourceOffset, TopicPartition to, long destinationOffset) {
        if (destination == null) {
            destination = to;
        } else if (!destination.equals(to)) {
            scattered = true;
            return;
        }
        Map.Entry<Long, Segment> last = segments.lastEntry();
        if (last != null && sourceOffset >= last.getValue().sourceEnd()
                && destinationOffset - sourceOffset == last.getValue().delta()) {
            segments.put(last.getKey(), last.getValue().endingAt(sourceOffset + 1));
            return;
        }
        if (last != null && sourceOffset < last.getValue().sourceEnd()) {
            // a replay: its copies are the last ones, they replace what was recorded from here on
            segments.tailMap(sourceOffset, true).clear();
            Map.Entry<Long, Segment> before = segments.lastEntry();
            if (before != null && before.getValue().sourceEnd() > sourceOffset) {
                segments.put(before.getKey(), before.getValue().endingAt(sourceOffset));
            }
        }
        segments.put(sourceOffset, new Segment(sourceOffset, sourceOffset + 1, destinationOffset));
    }

    /** Whether the partition's records went to more than one destination partition. */
    synchronized boolean scattered() {
        return scattered;
    }

    /**
     * What to write to the map topic now that the partition is committed up to {@code committed}: the segments
     * below it that changed since the last write, cut at it, each with {@code committed} as covered-up-to.
     * Empty when nothing changed or the partition cannot be translated.
     */
    synchronized List<MapEntry> toStore(String group, long committed) {
        if (scattered || destination == null || committed <= storedCoveredUpTo) {
            return List.of();
        }
        List<MapEntry> entries = new ArrayList<>();
        long from = lastStored == null ? Long.MIN_VALUE : lastStored.sourceStart();
        for (Segment segment : segments.tailMap(from, true).values()) {
            if (segment.sourceStart() >= committed) {
                break;
            }
            Segment cut = segment.sourceEnd() > committed ? segment.endingAt(committed) : segment;
            entries.add(new MapEntry(group, source, destination, cut, committed));
        }
        return entries;
    }

    /** {@code entries} (from {@link #toStore}) were written: later writes start at the last of them. */
    synchronized void stored(List<MapEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        MapEntry last = entries.get(entries.size() - 1);
        lastStored = last.segment();
        storedCoveredUpTo = Math.max(storedCoveredUpTo, last.coveredUpTo());
        // segments before the last written one never change again (replays start at a committed offset)
        segments.headMap(lastStored.sourceStart(), false).clear();
    }
}
