package io.kmirror.internal.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.Sensor.RecordingLevel;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.Max;

/**
 * The metrics of one source partition while it is assigned to the mirror: records lag and time lag
 * (written by the stream that owns the partition), and, when per-record sensors are on, its records
 * mirrored and replication latency (recorded on the producer's thread, each into the mirror-wide
 * sensor too). {@link #close()} removes them when the partition leaves.
 *
 * <p>Made in two steps: the constructor is cheap and the figures count from it; {@link #register()} adds
 * them to Kafka's metrics (and so, with JMX on, registers the partition's MBean once per metric), which
 * {@link MirrorSensors} runs on one of the mirror's threads: measured, a stream assigned 1,000 partitions spent
 * 0.7–1.1 s of its first rebalance registering them, before it fetched anything. Until then a partition's
 * latencies go to the mirror-wide sensor alone; its record count is exact from the start.
 *
 * <p>Time lag is the age of the oldest record of the partition that the mirror has read but the
 * destination has not yet acknowledged. The stream marks that record's source timestamp when it reads
 * records while none is marked, and moves the mark to the oldest unacknowledged record each time it
 * updates the lag. While records wait at the source unread and none is in flight, the mark stays: the
 * waiting records are younger than it, so the figure is an upper bound until they are read.
 */
public final class PartitionMetrics {

    private static final long NONE = Long.MIN_VALUE;

    private final MirrorSensors sensors;
    private final TopicPartition partition;
    private final LongAdder mirrored = new LongAdder();
    /** The partition's latency sensor once registered (its parent is the mirror-wide one), else null. */
    private volatile Sensor latency;
    private final List<MetricName> registered = new ArrayList<>();
    private boolean closed;
    private volatile long lag = -1;
    private volatile long behindSince = NONE;

    PartitionMetrics(MirrorSensors sensors, TopicPartition partition) {
        this.sensors = sensors;
        this.partition = partition;
    }

    /** Adds the partition's metrics to the mirror's; nothing once closed. */
    synchronized void register() {
        if (closed || !registered.isEmpty()) {
            return;
        }
        Metrics metrics = sensors.metrics();
        Map<String, String> tags = sensors.mirrorTags();
        tags.put("topic", partition.topic());
        tags.put("partition", Integer.toString(partition.partition()));
        add(metrics, metrics.metricName(MirrorSensors.RECORDS_LAG, MirrorSensors.PARTITION_GROUP,
                "Records at the source not yet read, as the stream owning the partition last saw it", tags), (config, now) -> {
                    long records = lag;
                    return records < 0 ? Double.NaN : records;
                });
        add(metrics, metrics.metricName(MirrorSensors.TIME_LAG_MS, MirrorSensors.PARTITION_GROUP,
                "Age in ms of the oldest record read but not yet acknowledged by the destination; 0 when caught up", tags),
                (config, now) -> timeLagMillis(now));
        add(metrics, metrics.metricName(MirrorSensors.HEALTH, MirrorSensors.PARTITION_GROUP,
                "The partition's health: 0 OK, 1 LAGGING, 2 PAUSED, 3 FAILED (see Mirror.health())", tags),
                (config, now) -> sensors.health(partition));
        if (sensors.perRecord()) {
            add(metrics, metrics.metricName(MirrorSensors.RECORDS_MIRRORED_TOTAL, MirrorSensors.PARTITION_GROUP,
                    "Records of the partition the destination acknowledged since it was assigned", tags), (config, now) -> mirrored.sum());
            Sensor sensor = metrics.sensor(sensorName(), RecordingLevel.DEBUG, sensors.latencySensor());
            sensor.add(metrics.metricName(MirrorSensors.REPLICATION_LATENCY_AVG, MirrorSensors.PARTITION_GROUP,
                    "Average ms from source timestamp to the destination's acknowledgement", tags), new Avg());
            sensor.add(metrics.metricName(MirrorSensors.REPLICATION_LATENCY_MAX, MirrorSensors.PARTITION_GROUP,
                    "Maximum ms from source timestamp to the destination's acknowledgement", tags), new Max());
            latency = sensor;
        }
    }

    private void add(Metrics metrics, MetricName name, Measurable value) {
        metrics.addMetric(name, value);
        registered.add(name);
    }

    private String sensorName() {
        return "records-mirrored:" + partition.topic() + "-" + partition.partition();
    }

    /**
     * The destination acknowledged a record whose timestamp there is {@code timestamp} (the source's,
     * passed through). Called on the producer's thread.
     */
    public void acknowledged(long timestamp) {
        if (!sensors.perRecord()) {
            return;
        }
        mirrored.increment();
        long now = System.currentTimeMillis();
        Sensor sensor = latency;
        // Kafka 4 records always carry a timestamp; a source clock ahead of ours would make the latency
        // negative, which the histogram refuses. No quota is set on these sensors: skip checking them.
        (sensor != null ? sensor : sensors.latencySensor()).record(timestamp < 0 ? 0 : Math.max(0, now - timestamp), now, false);
    }

    /** The stream read records of the partition, the first with source timestamp {@code firstTimestamp}. */
    public void read(long firstTimestamp) {
        if (behindSince == NONE && firstTimestamp >= 0) {
            behindSince = firstTimestamp;
        }
    }

    /**
     * The stream's periodic look: {@code lag} records wait at the source, and the oldest record sent but not
     * acknowledged has source timestamp {@code oldestUnacknowledged} (empty if none is in flight).
     */
    public void update(long lag, OptionalLong oldestUnacknowledged) {
        this.lag = lag;
        if (oldestUnacknowledged.isPresent() && oldestUnacknowledged.getAsLong() >= 0) {
            behindSince = oldestUnacknowledged.getAsLong();
        } else if (lag == 0 && oldestUnacknowledged.isEmpty()) {
            behindSince = NONE;
        }
    }

    /** Records at the source not yet read; -1 until the stream first saw it. */
    public long lag() {
        return lag;
    }

    /** The time lag in ms at wall-clock time {@code now}. */
    public long timeLagMillis(long now) {
        long since = behindSince;
        return since == NONE ? 0 : Math.max(0, now - since);
    }

    /** Removes the partition's metrics (and its MBean); they are never registered after this. */
    public synchronized void close() {
        closed = true;
        if (registered.isEmpty()) {
            return;
        }
        Metrics metrics = sensors.metrics();
        registered.forEach(metrics::removeMetric);
        registered.clear();
        if (latency != null) {
            metrics.removeSensor(sensorName());
            latency = null;
        }
    }
}
