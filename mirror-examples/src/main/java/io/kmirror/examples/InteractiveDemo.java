package io.kmirror.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.kmirror.Mirror;
import io.kmirror.MirrorState;
import io.kmirror.TopicFilter;
import io.kmirror.testkit.EmbeddedKafkaCluster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code demo --interactive}: MirrorMaker's walkthrough with the console producer and consumer built
 * in. Two embedded clusters and a running mirror of {@code testtopic}; every line typed on stdin is
 * sent to the source's {@code testtopic} and printed once it has arrived on the destination. Ends at
 * end of input (Ctrl-D), after every line has arrived.
 */
final class InteractiveDemo {

    private static final String TOPIC = "testtopic";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private InteractiveDemo() {
    }

    static int run(InputStream in, PrintStream out, PrintStream err) throws InterruptedException {
        out.println("Starting two embedded Kafka clusters (source, destination)...");
        try (EmbeddedKafkaCluster source = EmbeddedKafkaCluster.start();
             EmbeddedKafkaCluster destination = EmbeddedKafkaCluster.start();
             Mirror mirror = Mirror.builder()
                     .source(source.clientConfig())
                     .destination(destination.clientConfig())
                     .topics(TopicFilter.include(TOPIC))
                     .groupId("mirrorgroup")
                     .streams(4)
                     .offsetCommitInterval(Duration.ofSeconds(1))
                     .build()) {
            source.createTopic(TOPIC, 8);
            mirror.start();
            if (!awaitRunning(mirror, err)) {
                return 1;
            }
            awaitTopic(destination);
            out.printf("Mirroring %s from the source (%s) to the destination (%s) with 4 streams.%n", TOPIC,
                    source.bootstrapServers(), destination.bootstrapServers());
            out.println("Type lines: each goes to " + TOPIC + " on the source and is shown when it has arrived on the"
                    + " destination. End with Ctrl-D.");
            out.flush();
            return echo(in, source, destination, out, err);
        }
    }

    private static boolean awaitRunning(Mirror mirror, PrintStream err) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (mirror.state() != MirrorState.RUNNING) {
            if (mirror.state().isTerminal() || System.nanoTime() > deadline) {
                err.println("demo: the mirror did not start: " + mirror.state() + " "
                        + mirror.failure().map(Throwable::toString).orElse(""));
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** The mirror creates the destination topic before its first send; RUNNING does not promise that it exists yet. */
    private static void awaitTopic(EmbeddedKafkaCluster destination) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!destination.topics().contains(TOPIC) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** Sends stdin's lines to the source while a second thread prints what arrives on the destination. */
    private static int echo(InputStream in, EmbeddedKafkaCluster source, EmbeddedKafkaCluster destination,
            PrintStream out, PrintStream err) throws InterruptedException {
        AtomicLong arrived = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        List<TopicPartition> partitions = IntStream.range(0, destination.partitionCount(TOPIC))
                .mapToObj(p -> new TopicPartition(TOPIC, p)).toList();
        Thread printer = new Thread(() -> printArrivals(destination, partitions, arrived, stop, out), "demo-destination-reader");
        printer.setDaemon(true);
        printer.start();
        long sent = 0;
        Map<String, Object> config = new HashMap<>(source.clientConfig());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
             BufferedReader lines = new BufferedReader(new InputStreamReader(in, UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                producer.send(new ProducerRecord<>(TOPIC, line.getBytes(UTF_8))).get();
                sent++;
            }
        } catch (IOException | ExecutionException e) {
            err.println("demo: " + e);
            stop.set(true);
            return 1;
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (arrived.get() < sent && System.nanoTime() < deadline && printer.isAlive()) {
            Thread.sleep(20);
        }
        stop.set(true);
        printer.join(WAIT.toMillis());
        if (arrived.get() < sent) {
            err.printf("demo: %d of %d lines did not arrive on the destination within %d s%n", sent - arrived.get(), sent,
                    WAIT.toSeconds());
            return 1;
        }
        out.printf("%d line(s) typed, %d mirrored.%n", sent, arrived.get());
        return 0;
    }

    private static void printArrivals(EmbeddedKafkaCluster destination, List<TopicPartition> partitions, AtomicLong arrived,
            AtomicBoolean stop, PrintStream out) {
        Map<String, Object> config = new HashMap<>(destination.clientConfig());
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!stop.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    out.printf("  mirrored: \"%s\"  (destination %s-%d offset %d, %d ms after it was sent)%n",
                            new String(record.value(), UTF_8), record.topic(), record.partition(), record.offset(),
                            System.currentTimeMillis() - record.timestamp());
                    out.flush();
                    arrived.incrementAndGet();
                }
            }
        }
    }
}
