package io.kmirror.internal.offsetmap;

import io.kmirror.internal.ClusterAccess;
import io.kmirror.internal.topics.CompactedTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The compacted topic on the destination that holds every mirror group's offset map: one record per
 * segment of a mirrored source partition, keyed by group, partition and segment start. Never mirrored
 * (its name starts with {@code __}).
 */
public final class OffsetMapTopic {

    /** The topic's name. */
    public static final String TOPIC = "__kmirror-offsets";

    private OffsetMapTopic() {
    }

    /** The topic, to be created when missing. */
    public static CompactedTopic topic(ClusterAccess destination) {
        return new CompactedTopic(TOPIC, "kmirror's offset map", destination);
    }

    static ProducerRecord<byte[], byte[]> record(MapEntry entry) {
        return new ProducerRecord<>(TOPIC, OffsetMapCodec.key(entry.group(), entry.source(), entry.segment().sourceStart()),
                OffsetMapCodec.value(entry));
    }

    static ProducerRecord<byte[], byte[]> tombstone(String group, TopicPartition source, long sourceStart) {
        return new ProducerRecord<>(TOPIC, OffsetMapCodec.key(group, source, sourceStart), null);
    }
}
