package io.kmirror.it;

import static io.kmirror.it.MirrorTesting.WAIT;
import static io.kmirror.it.MirrorTesting.await;
import static io.kmirror.it.MirrorTesting.mirror;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.DeliveryGuarantee;
import io.kmirror.GroupFilter;
import io.kmirror.GroupOffset;
import io.kmirror.Mirror;
import io.kmirror.OffsetTranslator;
import io.kmirror.TopicFilter;
import io.kmirror.testkit.Destination;
import io.kmirror.testkit.MirrorAssertions;
import io.kmirror.testkit.MirrorClusters;
import io.kmirror.testkit.Source;
import io.kmirror.testkit.TestKafkaCluster;
import io.kmirror.testkit.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumers move from the source to the destination at the exact record: through the offset map, a group's
 * committed source position becomes the destination position from which it reads exactly the rest.
 */
@MirrorClusters(brokerConfig = {"log.cleaner.backoff.ms=100"})
class OffsetTranslationIT {

    private static final Logger log = LoggerFactory.getLogger(OffsetTranslationIT.class);

    private final TestKafkaCluster source;
    private final TestKafkaCluster destination;

    OffsetTranslationIT(@Source TestKafkaCluster source, @Destination TestKafkaCluster destination) {
        this.source = source;
        this.destination = destination;
    }

    @Test
    void exactlyOnce_groupsOnRecordsMarkersAbortedRecordsTheLogStartAndCompactedGaps_readExactlyTheRest() throws Exception {
        String topic = Topics.unique("orders");
        String compacted = Topics.unique("compacted");
        String prefix = Topics.unique("fo");
        TopicPartition tp = new TopicPartition(topic, 0);
        TopicPartition ctp = new TopicPartition(compacted, 0);
        source.createTopic(topic, 1);
        source.produce(topic, values(topic, "plain-a", 20));
        source.admin().deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(5))).all().get(30, TimeUnit.SECONDS);
        source.produceInTransaction(topic, values(topic, "committed", 5));
        source.produceAbortedTransaction(topic, values(topic, "aborted", 5));
        source.produce(topic, values(topic, "plain-b", 10));
        List<ConsumerRecord<byte[], byte[]>> all = source.readAll(topic, false);
        long committedMarker = lastOffsetOf(all, "committed") + 1;
        long aborted = firstOffsetOf(all, "aborted") + 2;
        long abortMarker = lastOffsetOf(all, "aborted") + 1;

        Map<TopicPartition, Long> positions = new LinkedHashMap<>();
        Map<String, Map.Entry<TopicPartition, Long>> groups = new LinkedHashMap<>();
        for (long position : new long[] {2, 5, 10, committedMarker, aborted, abortMarker, abortMarker + 3,
                source.endOffsets(topic).get(tp)}) {
            groups.put(prefix + "-orders-" + position, Map.entry(tp, position));
        }
        List<Long> compactedGaps = compactedTopicWithGaps(compacted);
        for (long gap : compactedGaps) {
            groups.put(prefix + "-compacted-" + gap, Map.entry(ctp, gap));
        }
        for (Map.Entry<String, Map.Entry<TopicPartition, Long>> group : groups.entrySet()) {
            commitOnSource(group.getKey(), group.getValue().getKey(), group.getValue().getValue());
        }

        try (Mirror mirror = mirror(source, destination, TopicFilter.include(topic + "|" + compacted), Topics.unique("mirror"))
                .guarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .syncGroupOffsets(GroupFilter.include(prefix + "-.*"))
                .groupSyncInterval(Duration.ofMillis(200))
                .build()) {
            mirror.start();
            MirrorAssertions.assertThat(mirror).hasCaughtUp(WAIT);
            for (String group : groups.keySet()) {
                await("group " + group + " synced to the destination", () -> !destination.committedOffsets(group).isEmpty());
            }
            for (Map.Entry<String, Map.Entry<TopicPartition, Long>> group : groups.entrySet()) {
                TopicPartition partition = group.getValue().getKey();
                long position = group.getValue().getValue();
                long translated = destination.committedOffsets(group.getKey()).get(partition);
                assertThat(mirror.offsets().translate(partition, position)).as("the mirror's own translation")
                        .isEqualTo(OptionalLong.of(translated));
                assertThat(valuesFrom(destination, group.getKey(), partition))
                        .as("what group %s (at %d on the source) reads on the destination", group.getKey(), position)
                        .isEqualTo(sourceValuesFrom(partition, position));
            }
            log.info("Offset map of {}: {} segments; of {}: {} segments", tp, mirror.offsets().segments(tp), ctp,
                    mirror.offsets().segments(ctp));
        }
    }

    @Test
    void aGroupActiveOnTheDestinationIsNeverMoved_andNoGroupIsMovedBackwards() throws Exception {
        String topic = Topics.unique("orders");
        String prefix = Topics.unique("fo");
        String active = prefix + "-active";
        String ahead = prefix + "-ahead";
        TopicPartition tp = new TopicPartition(topic, 0);
        source.createTopic(topic, 1);
        source.produce(topic, values(topic, "r", 100));
        commitOnSource(active, tp, 40);
        commitOnSource(ahead, tp, 40);
        String mirrorGroup = Topics.unique("mirror");
        try (Mirror mirror = mirror(source, destination, TopicFilter.include(topic), mirrorGroup).build()) {
            mirror.start();
            MirrorAssertions.assertThat(mirror).hasCaughtUp(WAIT);
            commitOnDestinationAt(ahead, tp, 90);
            try (KafkaConsumer<byte[], byte[]> member = consumer(destination, active)) {
                member.subscribe(List.of(topic));
                await("a member of " + active + " on the destination", () -> {
                    member.poll(Duration.ofMillis(100));
                    return !member.assignment().isEmpty();
                });
                try (OffsetTranslator translator = OffsetTranslator.create(destination.clientConfig(), mirrorGroup)) {
                    List<GroupOffset> plan = translator.translateGroup(source.admin(), active);
                    assertThat(plan).singleElement().satisfies(line -> assertThat(line.destinationPosition()).hasValue(40));
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> translator.applyGroup(active, plan))
                            .isInstanceOf(GroupNotEmptyException.class).hasMessageContaining(active);
                    List<GroupOffset> backwards = translator.translateGroup(source.admin(), ahead);
                    assertThat(translator.applyGroup(ahead, backwards)).as("a move backwards").isEmpty();
                }
                member.commitSync(Map.of(tp, new OffsetAndMetadata(7)));
            }
        }
        try (Mirror syncing = mirror(source, destination, TopicFilter.include(topic), mirrorGroup)
                .syncGroupOffsets(GroupFilter.include(prefix + "-.*")).groupSyncInterval(Duration.ofMillis(100)).build()) {
            syncing.start();
            MirrorAssertions.assertThat(syncing).hasCaughtUp(WAIT);
            // the active group left: the sync moves it forward now; the group ahead stays where it is
            await(active + " moved once its members left", () -> destination.committedOffsets(active).get(tp) == 40);
            assertThat(destination.committedOffsets(ahead).get(tp)).isEqualTo(90);
        }
    }

    @Test
    void atLeastOnce_afterASigkillAndReplay_aGroupInsideTheReplayedRangeReadsNothingTwice(@TempDir Path logs) throws Exception {
        String topic = Topics.unique("orders");
        String mirrorGroup = Topics.unique("mirror");
        TopicPartition tp = new TopicPartition(topic, 0);
        int records = 100_000;
        source.createTopic(topic, 1);
        String[] args = {source.bootstrapServers(), destination.bootstrapServers(), topic, mirrorGroup};
        Process first = MirrorProcess.start(logs.resolve("first.log"), args);
        try {
            await("first mirror RUNNING", () -> read(logs.resolve("first.log")).contains("RUNNING"));
            produceFast(topic, records);
            await("some records on the destination", () -> destination.topics().contains(topic)
                    && destination.endOffsets(topic).get(tp) > 10_000);
        } finally {
            MirrorProcess.kill(first);
        }
        long committedAtKill = source.committedOffsets(mirrorGroup).getOrDefault(tp, 0L);
        long writtenAtKill = destination.endOffsets(topic).get(tp);
        assertThat(writtenAtKill).as("records written past the mirror's last commit: the replayed range")
                .isGreaterThan(committedAtKill);
        long inside = committedAtKill + (writtenAtKill - committedAtKill) / 2;
        String reader = Topics.unique("reader");
        commitOnSource(reader, tp, inside);

        Process second = MirrorProcess.start(logs.resolve("second.log"), args);
        try {
            await("the second mirror caught up", Duration.ofMinutes(3),
                    () -> source.committedOffsets(mirrorGroup).getOrDefault(tp, 0L) == records);
        } finally {
            MirrorProcess.kill(second);
        }
        long duplicates = destination.endOffsets(topic).get(tp) - records;
        try (OffsetTranslator translator = OffsetTranslator.create(destination.clientConfig(), mirrorGroup)) {
            Map<TopicPartition, OffsetAndMetadata> applied = translator.applyGroup(reader,
                    translator.translateGroup(source.admin(), reader));
            assertThat(applied).containsKey(tp);
            log.info("SIGKILL replay: {} records written twice; the group at {} moved to {}; map segments: {}", duplicates,
                    inside, applied.get(tp).offset(), translator.segments(tp));
        }
        assertThat(duplicates).as("the replay wrote records twice").isPositive();
        assertThat(valuesFrom(destination, reader, tp)).as("what the group reads on the destination")
                .isEqualTo(sourceValuesFrom(tp, inside));
    }

    @Test
    void aMillionRecords_makeAHandfulOfSegments_andTranslateFromTheCache() throws Exception {
        String topic = Topics.unique("million");
        String mirrorGroup = Topics.unique("mirror");
        source.createTopic(topic, 4);
        produceFast(topic, 1_000_000);
        try (Mirror mirror = mirror(source, destination, TopicFilter.include(topic), mirrorGroup).build()) {
            mirror.start();
            MirrorAssertions.assertThat(mirror).hasCaughtUp(Duration.ofMinutes(3));
            OffsetTranslator offsets = mirror.offsets();
            Map<TopicPartition, Long> ends = source.endOffsets(topic);
            int segments = 0;
            for (TopicPartition tp : ends.keySet()) {
                segments += offsets.segments(tp);
                assertThat(offsets.translate(tp, ends.get(tp) / 3)).hasValue(ends.get(tp) / 3);
            }
            long started = System.nanoTime();
            int translations = 100_000;
            for (int i = 0; i < translations; i++) {
                TopicPartition tp = new TopicPartition(topic, i % 4);
                offsets.translate(tp, (i * 7919L) % ends.get(tp));
            }
            double micros = (System.nanoTime() - started) / 1000.0 / translations;
            log.info("1,000,000 records over 4 partitions: {} segments in the offset map; {} µs per translation from the cache",
                    segments, String.format("%.2f", micros));
            assertThat(segments).as("segments of 4 partitions copied in one run").isLessThanOrEqualTo(8);
        }
    }

    @Test
    void segmentsBelowTheDestinationsLogStartAreDeleted_andPositionsThereMoveToItsFirstRecord() throws Exception {
        String topic = Topics.unique("orders");
        String mirrorGroup = Topics.unique("mirror");
        String reader = Topics.unique("reader");
        TopicPartition tp = new TopicPartition(topic, 0);
        source.createTopic(topic, 1);
        for (int run = 0; run < 2; run++) {
            if (run == 1) { // a record written on the destination itself: the second run's records land one further
                destination.produce(topic, values(topic, "local", 1));
            }
            source.produce(topic, values(topic, "run" + run, 100));
            try (Mirror mirror = mirror(source, destination, TopicFilter.include(topic), mirrorGroup).build()) {
                mirror.start();
                MirrorAssertions.assertThat(mirror).hasCaughtUp(WAIT);
            }
        }
        try (OffsetTranslator translator = OffsetTranslator.create(destination.clientConfig(), mirrorGroup)) {
            assertThat(translator.segments(tp)).isEqualTo(2);
        }
        destination.admin().deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(150))).all().get(30, TimeUnit.SECONDS);
        commitOnSource(reader, tp, 50);
        try (Mirror mirror = mirror(source, destination, TopicFilter.include(topic), mirrorGroup).build();
                OffsetTranslator translator = OffsetTranslator.create(destination.clientConfig(), mirrorGroup)) {
            mirror.start();
            await("the segment below the log start deleted", () -> {
                translator.refresh();
                return translator.segments(tp) == 1;
            });
            assertThat(translator.translate(tp, 120)).hasValue(121);
            assertThat(translator.translateGroup(source.admin(), reader)).singleElement()
                    .satisfies(line -> assertThat(line.destinationPosition()).as("below the destination's log start").hasValue(150));
            assertThat(translator.translate(tp, 50)).as("the first segment left").hasValue(101);
        }
    }

    // --- helpers

    private List<ProducerRecord<byte[], byte[]>> values(String topic, String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> new ProducerRecord<byte[], byte[]>(topic, 0, ("k" + i).getBytes(UTF_8),
                (prefix + "-" + i).getBytes(UTF_8))).toList();
    }

    /** A compacted topic whose log has gaps; returns source positions that fall on compacted-away offsets. */
    private List<Long> compactedTopicWithGaps(String topic) {
        source.createTopic(topic, 1, Map.of("cleanup.policy", "compact", "segment.ms", "100",
                "min.cleanable.dirty.ratio", "0.01", "delete.retention.ms", "0"));
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            // every other record overwrites one key: compaction leaves holes between the survivors
            String key = i % 2 == 0 ? "unique-" + i : "overwritten";
            records.add(new ProducerRecord<>(topic, 0, key.getBytes(UTF_8), ("v-" + i).getBytes(UTF_8)));
        }
        source.produce(topic, records);
        int[] filler = {0};
        await("the source topic compacted", () -> {
            // a segment rolls on the first append after segment.ms: keep appending until the cleaner ran
            source.produce(topic, List.of(new ProducerRecord<>(topic, 0, ("filler-" + filler[0]).getBytes(UTF_8),
                    ("f-" + filler[0]++).getBytes(UTF_8))));
            return gaps(source.readAll(topic, false)).size() >= 3;
        });
        List<Long> gaps = gaps(source.readAll(topic, false));
        return List.of(gaps.get(0), gaps.get(gaps.size() / 2), gaps.get(gaps.size() - 1));
    }

    private static List<Long> gaps(List<ConsumerRecord<byte[], byte[]>> records) {
        List<Long> gaps = new ArrayList<>();
        long expected = records.isEmpty() ? 0 : records.get(0).offset();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            for (long gap = expected; gap < record.offset(); gap++) {
                gaps.add(gap);
            }
            expected = record.offset() + 1;
        }
        return gaps;
    }

    private static long firstOffsetOf(List<ConsumerRecord<byte[], byte[]>> records, String prefix) {
        return records.stream().filter(r -> new String(r.value(), UTF_8).startsWith(prefix + "-")).mapToLong(ConsumerRecord::offset)
                .min().orElseThrow();
    }

    private static long lastOffsetOf(List<ConsumerRecord<byte[], byte[]>> records, String prefix) {
        return records.stream().filter(r -> new String(r.value(), UTF_8).startsWith(prefix + "-")).mapToLong(ConsumerRecord::offset)
                .max().orElseThrow();
    }

    private void commitOnSource(String group, TopicPartition tp, long position) throws Exception {
        source.admin().alterConsumerGroupOffsets(group, Map.of(tp, new OffsetAndMetadata(position))).all().get(30, TimeUnit.SECONDS);
    }

    private void commitOnDestinationAt(String group, TopicPartition tp, long position) throws Exception {
        destination.admin().alterConsumerGroupOffsets(group, Map.of(tp, new OffsetAndMetadata(position))).all()
                .get(30, TimeUnit.SECONDS);
    }

    /** The values a read_committed reader of the source sees from {@code position} on. */
    private List<String> sourceValuesFrom(TopicPartition tp, long position) {
        return source.readAll(tp.topic()).stream().filter(r -> r.partition() == tp.partition() && r.offset() >= position)
                .map(r -> new String(r.value(), UTF_8)).toList();
    }

    /** The values a read_committed reader of the destination sees from {@code group}'s committed offset on. */
    private static List<String> valuesFrom(TestKafkaCluster cluster, String group, TopicPartition tp) {
        long from = cluster.committedOffsets(group).get(tp);
        return cluster.readAll(tp.topic()).stream().filter(r -> r.partition() == tp.partition() && r.offset() >= from)
                .map(r -> new String(r.value(), UTF_8)).toList();
    }

    private static KafkaConsumer<byte[], byte[]> consumer(TestKafkaCluster cluster, String group) {
        Map<String, Object> config = new HashMap<>(cluster.clientConfig());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private void produceFast(String topic, int count) {
        Map<String, Object> config = new HashMap<>(source.clientConfig());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, ("k" + i % 1000).getBytes(UTF_8), ("v-" + i).getBytes(UTF_8)));
            }
            producer.flush();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
