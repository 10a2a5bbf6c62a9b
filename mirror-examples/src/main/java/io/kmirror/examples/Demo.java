package io.kmirror.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.kmirror.Mirror;
import io.kmirror.TopicFilter;
import io.kmirror.testkit.EmbeddedKafkaCluster;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The embedded demo: MirrorMaker's classic walkthrough in one process. Starts a source and a
 * destination cluster, creates {@code testtopic} with 8 partitions on the source, loads it with keyed
 * records, mirrors it with 4 streams, then checks every record and each key's order on the
 * destination. With {@code --interactive}, {@link InteractiveDemo} mirrors lines typed on stdin instead; with
 * {@code --failover}, {@link FailoverDemo} moves a consumer group from the source to the destination.
 */
final class Demo {

    private static final String TOPIC = "testtopic";
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofMinutes(5);

    private Demo() {
    }

    /**
     * Runs the demo of {@code records} records, with {@code failover} the consumer group's move to the destination
     * ({@link FailoverDemo}), or with {@code interactive} the walkthrough on stdin's lines.
     *
     * @return 0 when every record arrived in order (or was read exactly once across the move), 1 otherwise
     */
    static int run(int records, boolean interactive, boolean failover, InputStream in, PrintStream out, PrintStream err) {
        try {
            if (failover) {
                return FailoverDemo.run(records, out, err);
            }
            return interactive ? InteractiveDemo.run(in, out, err) : demo(records, out, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("demo: interrupted");
            return 1;
        }
    }

    private static int demo(int records, PrintStream out, PrintStream err) throws InterruptedException {
        out.println("Starting two embedded Kafka clusters (source, destination)...");
        try (EmbeddedKafkaCluster source = EmbeddedKafkaCluster.start();
             EmbeddedKafkaCluster destination = EmbeddedKafkaCluster.start()) {
            source.createTopic(TOPIC, 8);
            out.printf("Producing %,d keyed records to %s (8 partitions) on the source...%n", records, TOPIC);
            source.produceKeyed(TOPIC, records, 10_000, 1);

            out.println("Mirroring with 4 streams...");
            long started = System.nanoTime();
            long bytes;
            try (Mirror mirror = mirror(source, destination)) {
                mirror.start();
                boolean caughtUp;
                try {
                    caughtUp = mirror.awaitCaughtUp(CATCH_UP_TIMEOUT);
                } catch (IllegalStateException e) {
                    err.println("demo: the mirror failed: " + e.getMessage());
                    return 1;
                }
                if (!caughtUp) {
                    err.println("demo: the mirror did not catch up within " + CATCH_UP_TIMEOUT.toMinutes() + " minutes (state "
                            + mirror.state() + ")");
                    return 1;
                }
                bytes = mirror.metrics().bytesMirrored();
                if (mirror.state().isTerminal()) { // caught up may come before the last of 4 streams joined: STARTING is fine
                    err.println("demo: the mirror is " + mirror.state() + mirror.failure().map(f -> ": " + f).orElse(""));
                    return 1;
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;

            Optional<String> mismatch = firstMismatch(source.readAll(TOPIC), destination.readAll(TOPIC));
            if (mismatch.isPresent()) {
                err.println("demo: MISMATCH: " + mismatch.get());
                return 1;
            }
            out.printf("Mirrored %,d records (%.1f MB) in %.2f s: %,.0f records/s. Every record and each key's order"
                    + " verified on the destination.%n", records, bytes / 1e6, seconds, records / seconds);
            return 0;
        }
    }

    /** The first difference between source and destination: partition by partition, record by record. */
    /** The demos' mirror of {@value #TOPIC}: group mirrorgroup, 4 streams, the builder's defaults otherwise. */
    static Mirror mirror(EmbeddedKafkaCluster source, EmbeddedKafkaCluster destination) {
        return Mirror.builder()
                .source(source.clientConfig())
                .destination(destination.clientConfig())
                .topics(TopicFilter.include(TOPIC))
                .groupId("mirrorgroup")
                .streams(4)
                .build();
    }

    static Optional<String> firstMismatch(List<ConsumerRecord<byte[], byte[]>> source,
            List<ConsumerRecord<byte[], byte[]>> destination) {
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> expected = byPartition(source);
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> actual = byPartition(destination);
        for (Map.Entry<Integer, List<ConsumerRecord<byte[], byte[]>>> partition : expected.entrySet()) {
            List<ConsumerRecord<byte[], byte[]>> want = partition.getValue();
            List<ConsumerRecord<byte[], byte[]>> got = actual.getOrDefault(partition.getKey(), List.of());
            for (int i = 0; i < want.size(); i++) {
                if (i >= got.size()) {
                    return Optional.of("partition " + partition.getKey() + " has " + got.size() + " records on the destination, "
                            + want.size() + " on the source; first missing: source offset " + want.get(i).offset());
                }
                String difference = difference(want.get(i), got.get(i));
                if (difference != null) {
                    return Optional.of("partition " + partition.getKey() + ", source offset " + want.get(i).offset()
                            + " vs destination offset " + got.get(i).offset() + ": " + difference);
                }
            }
            if (got.size() > want.size()) {
                return Optional.of("partition " + partition.getKey() + " has " + (got.size() - want.size())
                        + " more records on the destination than on the source (duplicates?)");
            }
        }
        if (!expected.keySet().containsAll(actual.keySet())) {
            return Optional.of("the destination has records in partitions the source does not use: " + actual.keySet());
        }
        return Optional.empty();
    }

    private static String difference(ConsumerRecord<byte[], byte[]> want, ConsumerRecord<byte[], byte[]> got) {
        if (!Arrays.equals(want.key(), got.key())) {
            return "key " + text(want.key()) + " became " + text(got.key());
        }
        if (!Arrays.equals(want.value(), got.value())) {
            return "value differs (key " + text(want.key()) + ")";
        }
        if (!applicationHeaders(want).equals(applicationHeaders(got))) {
            return "headers differ (key " + text(want.key()) + ")";
        }
        if (want.timestamp() != got.timestamp()) {
            return "timestamp " + want.timestamp() + " became " + got.timestamp();
        }
        return null;
    }

    /** The record's headers but kmirror's provenance header, which the mirror adds. */
    private static List<String> applicationHeaders(ConsumerRecord<byte[], byte[]> record) {
        List<String> headers = new ArrayList<>();
        for (org.apache.kafka.common.header.Header header : record.headers()) {
            if (!header.key().equals(io.kmirror.Provenance.HEADER)) {
                headers.add(header.key() + "=" + Arrays.toString(header.value()));
            }
        }
        return headers;
    }

    private static Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byPartition(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> partitions = new HashMap<>();
        records.stream().sorted(Comparator.comparingLong(ConsumerRecord::offset))
                .forEach(r -> partitions.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r));
        return partitions;
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "null" : new String(bytes, UTF_8);
    }
}
