package io.kmirror.it;

import static io.kmirror.it.MirrorTesting.bytes;

import io.kmirror.testkit.TestKafkaCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Produces {@code total} keyed records with a {@code seq} header to a source topic, in chunks, on a thread
 * of its own, so that a test can inject faults while records flow. Seeded: the same arguments give the
 * same records.
 */
final class Traffic extends Thread {

    private final TestKafkaCluster cluster;
    private final String topic;
    private final int total;
    private final int chunk;
    private final int recordsPerSecond;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    Traffic(TestKafkaCluster cluster, String topic, int total, int chunk) {
        this(cluster, topic, total, chunk, 0);
    }

    /** Traffic of at most {@code recordsPerSecond} (0: as fast as the source takes them). */
    Traffic(TestKafkaCluster cluster, String topic, int total, int chunk, int recordsPerSecond) {
        super("traffic-" + topic);
        this.cluster = cluster;
        this.topic = topic;
        this.total = total;
        this.chunk = chunk;
        this.recordsPerSecond = recordsPerSecond;
    }

    @Override
    public void run() {
        try {
            Random random = new Random(7);
            long started = System.nanoTime();
            for (int from = 0; from < total; from += chunk) {
                if (recordsPerSecond > 0) { // the traffic's pace, not a wait for something
                    long due = started + (long) from * 1_000_000_000L / recordsPerSecond;
                    Thread.sleep(Math.max(0, (due - System.nanoTime()) / 1_000_000));
                }
                List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>();
                for (int seq = from; seq < Math.min(total, from + chunk); seq++) {
                    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic,
                            bytes("key-" + random.nextInt(5_000)), bytes("value-" + seq));
                    record.headers().add("seq", bytes(Integer.toString(seq)));
                    batch.add(record);
                }
                cluster.produce(topic, batch);
                sent.addAndGet(batch.size());
            }
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    /** The records this traffic sends in all. */
    int total() {
        return total;
    }

    /** Records acknowledged by the source so far. */
    int sent() {
        return sent.get();
    }

    /** Waits until every record is sent; throws what stopped the traffic, if anything did. */
    void finish() throws InterruptedException {
        join(MirrorTesting.WAIT.toMillis() * 3);
        if (isAlive()) {
            throw new AssertionError("the traffic to " + topic + " did not finish: " + sent() + " of " + total + " sent");
        }
        if (failure.get() != null) {
            throw new AssertionError("the traffic to " + topic + " failed after " + sent() + " records", failure.get());
        }
    }
}
