package io.kmirror.internal.offsets;

import java.util.Optional;
import javax.annotation.Nullable;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Uuid;

/**
 * The metadata kmirror commits with each offset: the source topic's id, so that an offset of a topic
 * that was since deleted and recreated under the same name is recognised and never applied to the new one.
 */
public final class OffsetMetadata {

    private static final String PREFIX = "kmirror topic-id=";

    private OffsetMetadata() {
    }

    /** {@code offset} with the metadata naming {@code topicId} (none when the id is unknown). */
    public static OffsetAndMetadata of(long offset, @Nullable Uuid topicId) {
        return topicId == null ? new OffsetAndMetadata(offset) : new OffsetAndMetadata(offset, PREFIX + topicId);
    }

    /** The topic id an offset was committed for, if kmirror wrote it. */
    public static Optional<Uuid> topicId(OffsetAndMetadata offset) {
        String metadata = offset.metadata();
        if (metadata == null || !metadata.startsWith(PREFIX)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Uuid.fromString(metadata.substring(PREFIX.length())));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code offset} was committed for another incarnation of the topic than {@code currentTopicId}. */
    public static boolean isForAnotherTopic(OffsetAndMetadata offset, @Nullable Uuid currentTopicId) {
        Optional<Uuid> committedFor = topicId(offset);
        return currentTopicId != null && committedFor.isPresent() && !committedFor.get().equals(currentTopicId);
    }
}
