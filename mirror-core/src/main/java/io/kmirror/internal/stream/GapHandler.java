package io.kmirror.internal.stream;

import io.kmirror.Gap;
import io.kmirror.GapException;
import io.kmirror.GapPolicy;
import io.kmirror.internal.HealthBoard;
import io.kmirror.internal.MirrorCounters;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.LogTruncationException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a stream does when the source no longer has the records at its position: the consumer runs with
 * {@code auto.offset.reset=none}, so instead of resetting silently it reports the position, and this
 * class names the gap and applies the {@link GapPolicy}. Used from the stream's thread.
 */
final class GapHandler {

    private static final Logger log = LoggerFactory.getLogger(GapHandler.class);
    private static final Duration OFFSETS_TIMEOUT = Duration.ofSeconds(30);

    private final GapPolicy policy;
    private final MirrorCounters counters;
    private final HealthBoard health;

    GapHandler(GapPolicy policy, MirrorCounters counters, HealthBoard health) {
        this.policy = policy;
        this.counters = counters;
        this.health = health;
    }

    /**
     * Handles a poll that found positions outside the source log: throws a {@link GapException} under
     * {@link GapPolicy#FAIL}; otherwise records each gap and seeks past it.
     */
    void handle(Consumer<byte[], byte[]> consumer, OffsetOutOfRangeException e) {
        Map<TopicPartition, Long> positions = e.offsetOutOfRangePartitions();
        Map<TopicPartition, OffsetAndMetadata> divergent = e instanceof LogTruncationException truncation
                ? truncation.divergentOffsets() : Map.of();
        Map<TopicPartition, Long> starts = consumer.beginningOffsets(positions.keySet(), OFFSETS_TIMEOUT);
        Map<TopicPartition, Long> ends = consumer.endOffsets(positions.keySet(), OFFSETS_TIMEOUT);
        Instant now = Instant.now();
        positions.forEach((tp, position) -> {
            Gap gap;
            long resumeAt;
            if (divergent.containsKey(tp)) {
                resumeAt = divergent.get(tp).offset();
                gap = Gap.of(Gap.Kind.TRUNCATION, tp, resumeAt, position, now);
            } else if (position < starts.get(tp)) {
                resumeAt = starts.get(tp);
                gap = Gap.of(Gap.Kind.RETENTION, tp, position, resumeAt, now);
            } else {
                resumeAt = ends.get(tp);
                gap = Gap.of(Gap.Kind.TRUNCATION, tp, resumeAt, position, now);
            }
            if (policy == GapPolicy.FAIL) {
                GapException failure = new GapException(gap);
                health.failed(tp, failure);
                throw failure;
            }
            log.warn("{}; going on from offset {} (onGap RECORD_AND_CONTINUE)", gap.description(), resumeAt);
            counters.gap(gap);
            consumer.seek(tp, resumeAt);
        });
    }
}
