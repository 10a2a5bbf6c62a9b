package io.kmirror.examples.bench;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The benchmark's {@code baseline}: the bare loop a mirror cannot beat on the same brokers. One
 * {@code KafkaConsumer<byte[], byte[]>} feeds one {@code KafkaProducer<byte[], byte[]>} on one thread:
 * each record goes to the destination partition with its source partition's number, with its key,
 * value, headers and timestamp; no offset tracking, one commit at the very end. Both clients run
 * kafka-clients' defaults unless the orchestrator passes settings.
 *
 * <p>Run by the orchestrator ({@link Bench}) in a JVM of its own; see {@link ContenderIo}.
 */
public final class BaselineContender {

    private BaselineContender() {
    }

    /** Runs the loop with the orchestrator's arguments and exits 0, or 1 on a failure. */
    public static void main(String[] args) {
        ContenderIo.exitWith(args, BaselineContender::run);
    }

    static int run(ContenderArgs args, ContenderIo io) throws Exception {
        String prefix = args.get(ContenderArgs.PREFIX);
        long expected = Long.parseLong(args.get(ContenderArgs.EXPECT, "0"));

        Map<String, Object> consumerConfig = args.consumer();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args.get(ContenderArgs.SOURCE));
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, args.get(ContenderArgs.GROUP));
        consumerConfig.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        Map<String, Object> producerConfig = args.producer();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args.get(ContenderArgs.DESTINATION));

        AtomicLong acknowledged = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Callback callback = (metadata, exception) -> {
            if (exception == null) {
                acknowledged.incrementAndGet();
            } else {
                failure.compareAndSet(null, exception);
            }
        };
        long clientsStart = System.currentTimeMillis();
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
            consumer.subscribe(Pattern.compile(args.get(ContenderArgs.TOPIC)), new ReadyOnAssignment(io));
            Progress progress = Progress.start(acknowledged::get, expected, clientsStart);
            while (expected > 0 ? !progress.reachedExpected() : !io.stopRequested()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    producer.send(new ProducerRecord<>(prefix + r.topic(), r.partition(), r.timestamp(), r.key(), r.value(),
                            r.headers()), callback);
                }
                if (failure.get() != null) {
                    throw failure.get();
                }
                if (expected > 0 && io.stopRequested()) {
                    throw new IllegalStateException("stopped before all " + expected + " records were mirrored");
                }
            }
            Map<String, Object> cost = ProcessStats.snapshot();
            producer.flush();
            progress.stop();
            Map<String, Object> fields = progress.fields(0);
            fields.putAll(cost);
            io.result(fields);
            consumer.commitSync();
        }
        return 0;
    }

    /** Prints {@link ContenderIo#READY} at the first assignment. */
    private static final class ReadyOnAssignment implements ConsumerRebalanceListener {
        private final ContenderIo io;
        private boolean ready;

        ReadyOnAssignment(ContenderIo io) {
            this.io = io;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!ready && !partitions.isEmpty()) {
                ready = true;
                io.ready();
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        }
    }
}
