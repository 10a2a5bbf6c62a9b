package io.kmirror.internal.offsetmap;

import io.kmirror.internal.config.ClientConfigs;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.Comparator;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one mirror group's offset map from {@link OffsetMapTopic#TOPIC} on the destination and keeps it:
 * the whole topic once, then whatever was written since, on each {@link #catchUp}. Reads only committed
 * records, so exactly-once maps appear with their transactions. Not thread-safe.
 */
public final class OffsetMapReader implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String group;
    private final Consumer<byte[], byte[]> consumer;
    private final Map<TopicPartition, PartitionMap> maps = new HashMap<>();
    private List<TopicPartition> assigned = List.of();

    /** A reader of group {@code group}'s map through a consumer made from {@code destinationConfig}'s connection keys. */
    public OffsetMapReader(Map<String, ?> destinationConfig, String group) {
        this.group = group;
        Map<String, Object> config = ClientConfigs.select(destinationConfig, ConsumerConfig.configNames());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, ClientConfigs.READER_FETCH_MAX_WAIT_MS);
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "kmirror-" + group + "-offset-map-reader");
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Reads what was written to the map since the last call, up to the end the topic has now.
     *
     * @throws KafkaException if the map cannot be read within 30 s
     */
    public void catchUp() {
        if (assigned.isEmpty()) {
            List<PartitionInfo> partitions = consumer.partitionsFor(OffsetMapTopic.TOPIC, TIMEOUT);
            if (partitions == null || partitions.isEmpty()) {
                return; // no mirror has written a map to this cluster yet
            }
            assigned = partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, TIMEOUT);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (behind(ends)) {
            if (System.nanoTime() > deadline) {
                throw new KafkaException("reading kmirror's offset map " + OffsetMapTopic.TOPIC + " timed out");
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                apply(record);
            }
        }
    }

    private boolean behind(Map<TopicPartition, Long> ends) {
        for (TopicPartition tp : assigned) {
            if (consumer.position(tp, TIMEOUT) < ends.get(tp)) {
                return true;
            }
        }
        return false;
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() == null) {
            return;
        }
        OffsetMapCodec.Key key = OffsetMapCodec.decodeKey(record.key());
        if (key == null || !key.group().equals(group)) {
            return;
        }
        if (record.value() == null) {
            PartitionMap map = maps.get(key.source());
            if (map != null) {
                map.remove(key.sourceStart());
            }
            return;
        }
        MapEntry entry = OffsetMapCodec.decode(key, record.value());
        if (entry != null) {
            maps.computeIfAbsent(key.source(), tp -> new PartitionMap()).put(entry);
        }
    }

    /** The map of {@code source} as read so far, or null if none was written. */
    public PartitionMap map(TopicPartition source) {
        return maps.get(source);
    }

    /** The source partitions that have a map, by topic and partition. */
    public Set<TopicPartition> sources() {
        Set<TopicPartition> sorted = new TreeSet<>(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        sorted.addAll(maps.keySet());
        return sorted;
    }

    /** The group whose map this is. */
    public String group() {
        return group;
    }

    @Override
    public void close() {
        consumer.close(Duration.ZERO);
    }
}
