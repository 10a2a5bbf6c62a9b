package io.kmirror.internal.offsetmap;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.TopicPartition;

/**
 * The binary form of the offset map topic's records. Key: version, group, source topic, source
 * partition, segment start; value: version, destination topic, destination partition, segment end,
 * destination start, covered-up-to. A null value (tombstone) removes the segment.
 */
final class OffsetMapCodec {

    private static final byte VERSION = 1;

    private OffsetMapCodec() {
    }

    /** The key of a segment: one per segment start, so compaction keeps each segment's latest form. */
    static byte[] key(String group, TopicPartition source, long sourceStart) {
        byte[] groupBytes = group.getBytes(StandardCharsets.UTF_8);
        byte[] topicBytes = source.topic().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + 4 + groupBytes.length + 4 + topicBytes.length + 4 + 8)
                .put(VERSION).putInt(groupBytes.length).put(groupBytes).putInt(topicBytes.length).put(topicBytes)
                .putInt(source.partition()).putLong(sourceStart).array();
    }

    static byte[] value(MapEntry entry) {
        byte[] topicBytes = entry.destination().topic().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + 4 + topicBytes.length + 4 + 8 + 8 + 8)
                .put(VERSION).putInt(topicBytes.length).put(topicBytes).putInt(entry.destination().partition())
                .putLong(entry.segment().sourceEnd()).putLong(entry.segment().destinationStart()).putLong(entry.coveredUpTo())
                .array();
    }

    /** A decoded key: whose segment it is. */
    record Key(String group, TopicPartition source, long sourceStart) {
    }

    /** The key, or null for a record of another version (written by a newer kmirror; skipped). */
    static Key decodeKey(byte[] key) {
        ByteBuffer buffer = ByteBuffer.wrap(key);
        if (buffer.get() != VERSION) {
            return null;
        }
        String group = string(buffer);
        String topic = string(buffer);
        int partition = buffer.getInt();
        return new Key(group, new TopicPartition(topic, partition), buffer.getLong());
    }

    /** The entry of {@code key} with value {@code value}, or null for a value of another version. */
    static MapEntry decode(Key key, byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        if (buffer.get() != VERSION) {
            return null;
        }
        TopicPartition destination = new TopicPartition(string(buffer), buffer.getInt());
        long sourceEnd = buffer.getLong();
        long destinationStart = buffer.getLong();
        long coveredUpTo = buffer.getLong();
        return new MapEntry(key.group(), key.source(), destination, new Segment(key.sourceStart(), sourceEnd, destinationStart),
                coveredUpTo);
    }

    private static String string(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.getInt()];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
