package io.kmirror.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.kmirror.GroupOffset;
import io.kmirror.Mirror;
import io.kmirror.OffsetTranslator;
import io.kmirror.testkit.EmbeddedKafkaCluster;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code demo --failover}: a consumer group moves from the source to the destination at the exact record.
 * The destination's {@code testtopic} already holds records of its own, so its offsets differ from the
 * source's. A consumer reads half of {@code testtopic} on the source, commits and stops; the mirror
 * translates the group's positions through its offset map and commits them on the destination (what
 * {@code kmirror.jar offsets --apply} does); the same group then reads the rest on the destination. The
 * demo checks that the two reads together are every source record exactly once, partition by partition.
 */
final class FailoverDemo {

    static final String TOPIC = "testtopic";
    static final String GROUP = "demo-app";
    private static final int PARTITIONS = 8;
    /** Records the destination holds before the mirror starts, so that its offsets are not the source's. */
    private static final int DESTINATIONS_OWN = 1_000;
    private static final Duration WAIT = Duration.ofMinutes(2);

    private FailoverDemo() {
    }

    /** @return 0 when the group read every record exactly once across the move, 1 otherwise */
    static int run(int records, PrintStream out, PrintStream err) throws InterruptedException {
        out.println("Starting two embedded Kafka clusters (source, destination)...");
        try (EmbeddedKafkaCluster source = EmbeddedKafkaCluster.start();
             EmbeddedKafkaCluster destination = EmbeddedKafkaCluster.start()) {
            source.createTopic(TOPIC, PARTITIONS);
            destination.createTopic(TOPIC, PARTITIONS);
            destination.produceKeyed(TOPIC, DESTINATIONS_OWN, 100, 2);
            out.printf("The destination's %s already holds %,d records of its own: its offsets differ from the source's.%n",
                    TOPIC, DESTINATIONS_OWN);
            source.produceKeyed(TOPIC, records, 10_000, 1);
            out.printf("Produced %,d keyed records to %s (%d partitions) on the source; mirroring them...%n", records, TOPIC,
                    PARTITIONS);
            List<ConsumerRecord<byte[], byte[]>> before;
            try (Mirror mirror = Demo.mirror(source, destination)) {
                mirror.start();
                before = readHalf(source, records / 2);
                out.printf("Consumer group %s read %,d records on the source, committed its positions and stopped.%n", GROUP,
                        before.size());
                if (!caughtUp(mirror, err)) {
                    return 1;
                }
                if (!moveGroup(mirror.offsets(), source, out, err)) {
                    return 1;
                }
            }
            List<ConsumerRecord<byte[], byte[]>> after;
            try {
                after = readRest(destination);
            } catch (KafkaException e) {
                err.println("demo: reading on the destination failed: " + e);
                return 1;
            }
            out.printf("The same group, now on the destination, read %,d records.%n", after.size());
            List<ConsumerRecord<byte[], byte[]>> all = source.readAll(TOPIC);
            Optional<String> problem = check(all, before, after);
            if (problem.isPresent()) {
                err.println("demo: MISMATCH: " + problem.get());
                return 1;
            }
            out.printf("%,d on the source + %,d on the destination = %,d: every record of %s read exactly once, nothing"
                    + " missing, nothing twice.%n", before.size(), after.size(), all.size(), TOPIC);
            return 0;
        }
    }

    /** Reads exactly {@code count} records in group {@link #GROUP} and commits the position after them in every partition. */
    private static List<ConsumerRecord<byte[], byte[]>> readHalf(EmbeddedKafkaCluster source, int count) {
        List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(source, "earliest")) {
            consumer.subscribe(List.of(TOPIC));
            Map<TopicPartition, Long> next = new HashMap<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (read.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (read.size() == count) {
                        break; // the rest of this batch is left for the destination
                    }
                    read.add(record);
                    next.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
                }
            }
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            // a partition not read from yet is committed at its start, so that it too moves
            consumer.beginningOffsets(consumer.assignment()).forEach((tp, start) ->
                    commit.put(tp, new OffsetAndMetadata(next.getOrDefault(tp, start))));
            consumer.commitSync(commit);
        }
        return read;
    }

    private static boolean caughtUp(Mirror mirror, PrintStream err) throws InterruptedException {
        try {
            if (mirror.awaitCaughtUp(WAIT)) {
                return true;
            }
            err.println("demo: the mirror did not catch up within " + WAIT.toMinutes() + " minutes (state " + mirror.state() + ")");
        } catch (IllegalStateException e) {
            err.println("demo: the mirror failed: " + e.getMessage());
        }
        return false;
    }

    /**
     * Translates the group's source positions and commits them on the destination, once every partition is
     * translated (the map follows the mirror's commits).
     */
    private static boolean moveGroup(OffsetTranslator translator, EmbeddedKafkaCluster source, PrintStream out, PrintStream err)
            throws InterruptedException {
        try (Admin sourceAdmin = Admin.create(source.clientConfig())) {
            List<GroupOffset> plan = translator.translateGroup(sourceAdmin, GROUP);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (plan.isEmpty() || plan.stream().anyMatch(line -> line.destinationPosition().isEmpty())) {
                if (System.nanoTime() > deadline) {
                    err.println("demo: the group's positions were not all translated within " + WAIT.toSeconds() + " s: " + plan);
                    return false;
                }
                Thread.sleep(100);
                plan = translator.translateGroup(sourceAdmin, GROUP);
            }
            out.println("Its positions, translated through the mirror's offset map:");
            for (GroupOffset line : plan) {
                out.printf("  %s-%d  source %,d  ->  destination %,d (%,d left to read there)%n", line.source().topic(),
                        line.source().partition(), line.sourcePosition(), line.destinationPosition().getAsLong(), line.lag());
            }
            int segments = plan.stream().mapToInt(line -> translator.segments(line.source())).sum();
            out.printf("(The map holds %d segment(s) for these %d partitions: one per stretch with one offset difference,"
                    + " not one per record.)%n", segments, plan.size());
            translator.applyGroup(GROUP, plan);
            out.println("Committed them for group " + GROUP + " on the destination (what 'kmirror.jar offsets --apply' and"
                    + " the mirror's syncGroupOffsets do).");
            return true;
        }
    }

    /** Reads in group {@link #GROUP} from its committed positions up to the end of every partition. */
    private static List<ConsumerRecord<byte[], byte[]>> readRest(EmbeddedKafkaCluster destination) {
        List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
        Map<TopicPartition, Long> ends = destination.endOffsets(TOPIC);
        // "none": a partition without a committed position fails the demo rather than starting anywhere
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(destination, "none")) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!atEnd(consumer, ends) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
        }
        return read;
    }

    private static boolean atEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        if (!consumer.assignment().containsAll(ends.keySet())) {
            return false;
        }
        return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
    }

    private static KafkaConsumer<byte[], byte[]> consumer(EmbeddedKafkaCluster cluster, String offsetReset) {
        Map<String, Object> config = cluster.clientConfig();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Whether the records read on the source and then on the destination are, partition by partition, the
     * source's records in order, each once; otherwise the first difference.
     */
    static Optional<String> check(List<ConsumerRecord<byte[], byte[]>> all, List<ConsumerRecord<byte[], byte[]>> before,
            List<ConsumerRecord<byte[], byte[]>> after) {
        Map<Integer, List<String>> expected = values(all);
        Map<Integer, List<String>> actual = values(before);
        values(after).forEach((partition, values) -> actual.computeIfAbsent(partition, p -> new ArrayList<>()).addAll(values));
        for (Map.Entry<Integer, List<String>> partition : expected.entrySet()) {
            List<String> want = partition.getValue();
            List<String> got = actual.getOrDefault(partition.getKey(), List.of());
            int readBefore = values(before).getOrDefault(partition.getKey(), List.of()).size();
            for (int i = 0; i < Math.max(want.size(), got.size()); i++) {
                String where = "partition " + partition.getKey() + ", record " + i + " of the source ("
                        + (i < readBefore ? "read on the source" : "read on the destination") + ")";
                if (i >= got.size()) {
                    return Optional.of(where + ": missing; " + got.size() + " read, " + want.size() + " on the source");
                }
                if (i >= want.size()) {
                    return Optional.of("partition " + partition.getKey() + ": " + (got.size() - want.size())
                            + " more records read than the source has (read twice?)");
                }
                if (!want.get(i).equals(got.get(i))) {
                    return Optional.of(where + ": expected " + want.get(i) + ", read " + got.get(i));
                }
            }
        }
        if (!expected.keySet().containsAll(actual.keySet())) {
            return Optional.of("records read from partitions the source's records are not in: " + actual.keySet());
        }
        return Optional.empty();
    }

    private static Map<Integer, List<String>> values(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<Integer, List<String>> values = new TreeMap<>();
        records.stream().sorted(java.util.Comparator.comparingLong(ConsumerRecord::offset)).forEach(r ->
                values.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(shortValue(r.value())));
        return values;
    }

    /** The start of a value: the demo's values begin with their sequence number, e.g. {@code value-417-}. */
    private static String shortValue(byte[] value) {
        if (value == null) {
            return "null";
        }
        String text = new String(value, UTF_8);
        return text.length() <= 24 ? text : text.substring(0, 24) + "...";
    }
}
