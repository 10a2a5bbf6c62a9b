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
    /** The segments before the open one, and the open one as of the last {@link #closeOpen}. */
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    /** The last segment, still growing, in fields: acknowledgements extend it without allocating; -1: none yet. */
    private long openStart = -1;
    private long openEnd;
    private long openDestinationStart;
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

    /**
     * The destination acknowledged the record at {@code sourceOffset} at {@code destinationOffset} of
     * {@code topic}'s {@code partition}. Called for every record: it only moves the open segment's end unless
     * the difference changes.
     */
    synchronized void acknowledged(long sourceOffset, String topic, int partition, long destinationOffset) {
        if (destination == null) {
            destination = new TopicPartition(topic, partition);
        } else if (destination.partition() != partition || !destination.topic().equals(topic)) {
            scattered = true;
            return;
        }
        if (openStart >= 0 && sourceOffset >= openEnd && destinationOffset - sourceOffset == openDestinationStart - openStart) {
            openEnd = sourceOffset + 1;
            return;
        }
        boolean replay = openStart >= 0 && sourceOffset < openEnd;
        closeOpen();
        if (replay) {
            // its copies are the last ones, they replace what was recorded from here on
            segments.tailMap(sourceOffset, true).clear();
            Map.Entry<Long, Segment> before = segments.lastEntry();
            if (before != null && before.getValue().sourceEnd() > sourceOffset) {
                segments.put(before.getKey(), before.getValue().endingAt(sourceOffset));
            }
        }
        openStart = sourceOffset;
        openEnd = sourceOffset + 1;
        openDestinationStart = destinationOffset;
    }

    /** Puts the open segment, as far as it reaches now, among the others (it stays open). */
    private void closeOpen() {
        if (openStart >= 0) {
            segments.put(openStart, new Segment(openStart, openEnd, openDestinationStart));
        }
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
        closeOpen();
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
