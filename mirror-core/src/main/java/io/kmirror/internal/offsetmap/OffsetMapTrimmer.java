package io.kmirror.internal.offsetmap;

import io.kmirror.internal.config.ClientConfigs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the offset map as small as the destination's retention: a segment whose records all lie below
 * their destination partition's log start offset translates nothing any more (a position there maps to the
 * next segment) and is deleted with a tombstone. The last segment of a partition is always kept.
 */
public final class OffsetMapTrimmer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OffsetMapTrimmer.class);
    private static final long TIMEOUT_SECONDS = 30;

    private final OffsetMapReader reader;
    private final Admin destinationAdmin;
    private final Map<String, Object> producerConfig;
    private Producer<byte[], byte[]> producer;

    /**
     * @param destinationConfig the destination's client settings (connection and security)
     * @param group             the mirror group whose map is trimmed
     * @param destinationAdmin  reads the destination's log start offsets
     */
    public OffsetMapTrimmer(Map<String, ?> destinationConfig, String group, Admin destinationAdmin) {
        this.reader = new OffsetMapReader(destinationConfig, group);
        this.destinationAdmin = destinationAdmin;
        this.producerConfig = ClientConfigs.select(destinationConfig, ProducerConfig.configNames());
        producerConfig.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "kmirror-" + group + "-offset-map-trimmer");
    }

    /**
     * Deletes the segments below the destination's log start offsets.
     *
     * @return how many segments were deleted
     */
    public int trim() throws InterruptedException {
        reader.catchUp();
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        for (TopicPartition source : reader.sources()) {
            earliest.put(reader.map(source).destination(), OffsetSpec.earliest());
        }
        if (earliest.isEmpty()) {
            return 0;
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts;
        try {
            starts = destinationAdmin.listOffsets(earliest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new KafkaException("reading the destination's log start offsets failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("reading the destination's log start offsets timed out", e);
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (TopicPartition source : reader.sources()) {
            PartitionMap map = reader.map(source);
            ListOffsetsResult.ListOffsetsResultInfo start = starts.get(map.destination());
            if (start == null) {
                continue;
            }
            List<Segment> segments = map.segmentList();
            for (Segment segment : segments.subList(0, Math.max(0, segments.size() - 1))) {
                if (segment.destinationEnd() <= start.offset()) {
                    sent.add(producer().send(OffsetMapTopic.tombstone(reader.group(), source, segment.sourceStart())));
                    map.remove(segment.sourceStart());
                }
            }
        }
        for (Future<RecordMetadata> future : sent) {
            try {
                future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new KafkaException("deleting old segments of the offset map failed: " + e.getCause(), e.getCause());
            } catch (TimeoutException e) {
                throw new KafkaException("deleting old segments of the offset map timed out", e);
            }
        }
        if (!sent.isEmpty()) {
            log.info("Deleted {} segments of the offset map that lie below the destination's log start", sent.size());
        }
        return sent.size();
    }

    private Producer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    @Override
    public void close() {
        reader.close();
        if (producer != null) {
            producer.close(Duration.ZERO);
        }
    }
}
