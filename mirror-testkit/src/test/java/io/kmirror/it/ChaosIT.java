package io.kmirror.it;

import static io.kmirror.it.MirrorTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.testkit.Destination;
import io.kmirror.testkit.EmbeddedKafkaCluster;
import io.kmirror.testkit.MirrorClusters;
import io.kmirror.testkit.Source;
import io.kmirror.testkit.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded chaos run under exactly-once: while records flow, broker restarts on both sides and SIGKILLs of
 * the mirror (a child JVM) at random moments, for a fixed time; then the destination must hold every
 * source record exactly once (read_committed). Prints what it did and found. {@code -Dkmirror.chaos.seconds=N}
 * runs longer (default 40), {@code -Dkmirror.chaos.seed=S} replays a run.
 */
@MirrorClusters(brokers = 3, brokerConfig = {"broker.session.timeout.ms=3000", "broker.heartbeat.interval.ms=500"})
class ChaosIT {

    private final EmbeddedKafkaCluster source;
    private final EmbeddedKafkaCluster destination;

    ChaosIT(@Source EmbeddedKafkaCluster source, @Destination EmbeddedKafkaCluster destination) {
        this.source = source;
        this.destination = destination;
    }

    @Test
    void brokerRestartsAndMirrorKills_exactlyOnce_nothingLostNothingTwice(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path logs)
            throws Exception {
        long seconds = Long.getLong("kmirror.chaos.seconds", 40);
        long seed = Long.getLong("kmirror.chaos.seed", 20261202);
        Random random = new Random(seed);
        String topic = Topics.unique("chaos");
        String group = Topics.unique("chaosgroup");
        source.createTopic(topic, 8);
        String[] args = {source.bootstrapServers(), destination.bootstrapServers(), topic, group, "EXACTLY_ONCE"};
        Traffic traffic = new Traffic(source, topic, (int) Math.min(Integer.MAX_VALUE, seconds * 1_000), 250, 1_000);
        Map<String, Integer> faults = new TreeMap<>();

        int runs = 0;
        Process mirror = MirrorProcess.start(logs.resolve("mirror-" + runs++ + ".log"), args);
        try {
            traffic.start();
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            while (System.nanoTime() < end) {
                long pause = 2_000 + random.nextInt(4_000);
                Thread.sleep(pause); // the chaos schedule itself: a fault every 2-6 s, from the seed
                switch (random.nextInt(3)) {
                    case 0 -> {
                        MirrorProcess.kill(mirror);
                        mirror = MirrorProcess.start(logs.resolve("mirror-" + runs++ + ".log"), args);
                        faults.merge("mirror SIGKILLs", 1, Integer::sum);
                    }
                    case 1 -> {
                        int broker = random.nextInt(source.brokerCount());
                        source.stopBroker(broker);
                        source.restartBroker(broker);
                        faults.merge("source broker restarts", 1, Integer::sum);
                    }
                    default -> {
                        int broker = random.nextInt(destination.brokerCount());
                        destination.stopBroker(broker);
                        destination.restartBroker(broker);
                        faults.merge("destination broker restarts", 1, Integer::sum);
                    }
                }
            }
            traffic.finish();
            int total = traffic.sent();
            await(total + " records visible to read_committed readers of the destination",
                    () -> destination.readAll(topic).size() >= total);
        } finally {
            MirrorProcess.kill(mirror);
        }

        Map<String, Integer> copies = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : destination.readAll(topic)) {
            copies.merge(seq(record), 1, Integer::sum);
        }
        List<String> lost = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : source.readAll(topic)) {
            if (!copies.containsKey(seq(record))) {
                lost.add(seq(record));
            }
        }
        long duplicated = copies.values().stream().filter(n -> n > 1).count();
        System.out.printf("chaos (seed %d, %d s): %d records, faults %s, lost %d, duplicated %d%n",
                seed, seconds, traffic.sent(), faults, lost.size(), duplicated);
        assertThat(lost).as("records lost").isEmpty();
        assertThat(duplicated).as("records on the destination more than once").isZero();
        io.kmirror.testkit.MirrorAssertions.assertThat(destination.topic(topic)).containsExactlyRecordsOf(source.topic(topic));
    }

    private static String seq(ConsumerRecord<byte[], byte[]> record) {
        Header seq = record.headers().lastHeader("seq");
        return new String(seq.value(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
