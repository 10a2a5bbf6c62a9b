package io.kmirror.internal.metrics;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.DoubleSupplier;
import java.util.function.ToDoubleFunction;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.JmxReporter;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.KafkaMetricsContext;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.MetricsReporter;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.Sensor.RecordingLevel;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Percentile;
import org.apache.kafka.common.metrics.stats.Percentiles;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.common.metrics.stats.WindowedSum;
import org.apache.kafka.common.utils.Sanitizer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mirror's metrics, kept with kafka-clients' own metrics library and named as Kafka names its
 * clients' metrics: group {@value #MIRROR_GROUP} with tag {@code group=<groupId>}, and group
 * {@value #PARTITION_GROUP} with tags {@code group}, {@code topic}, {@code partition}. While the mirror
 * runs, Kafka's {@link JmxReporter} shows them as MBeans under the domain {@value #JMX_PREFIX}.
 *
 * <p>Sensors updated for every record (replication latency, per-partition record counts) have
 * {@link RecordingLevel#DEBUG}, as Kafka Streams' per-record sensors do; they exist only when the
 * configured level records DEBUG. Everything else costs nothing per record: totals are read from the
 * mirror's counters, rates are fed from them every 100 ms, lag is what the streams last saw.
 *
 * <p>Windowed statistics (rates, averages, maxima, percentiles) cover the last 30 to 60 seconds
 * (Kafka's default: two samples of 30 s). Thread-safe.
 */
public final class MirrorSensors implements AutoCloseable {

    /** The JMX domain of every kmirror MBean. */
    public static final String JMX_PREFIX = "kmirror";
    /** The metric group of mirror-wide metrics (the MBean's {@code type}). */
    public static final String MIRROR_GROUP = "mirror-metrics";
    /** The metric group of per-partition metrics. */
    public static final String PARTITION_GROUP = "mirror-partition-metrics";

    public static final String RECORDS_MIRRORED_TOTAL = "records-mirrored-total";
    public static final String RECORDS_MIRRORED_RATE = "records-mirrored-rate";
    public static final String BYTES_MIRRORED_TOTAL = "bytes-mirrored-total";
    public static final String BYTES_MIRRORED_RATE = "bytes-mirrored-rate";
    public static final String RECORDS_SKIPPED_TOTAL = "records-skipped-total";
    public static final String RECORDS_DROPPED_TOTAL = "records-dropped-total";
    public static final String RECORDS_ALREADY_AT_DESTINATION_TOTAL = "records-already-at-destination-total";
    public static final String RECORDS_LAG_MAX = "records-lag-max";
    public static final String TIME_LAG_MAX_MS = "time-lag-max-ms";
    public static final String REPLICATION_LATENCY_AVG = "replication-latency-avg";
    public static final String REPLICATION_LATENCY_MAX = "replication-latency-max";
    public static final String REPLICATION_LATENCY_P50 = "replication-latency-p50";
    public static final String REPLICATION_LATENCY_P99 = "replication-latency-p99";
    public static final String COMMIT_LATENCY_AVG = "commit-latency-avg";
    public static final String COMMIT_LATENCY_MAX = "commit-latency-max";
    public static final String COMMITS_TOTAL = "commits-total";
    public static final String REBALANCES_TOTAL = "rebalances-total";
    public static final String FAILED = "failed";
    public static final String TOPICS = "topics";
    public static final String PARTITIONS = "partitions";
    public static final String RECORDS_LAG = "records-lag";
    public static final String TIME_LAG_MS = "time-lag-ms";
    public static final String HEALTH = "health";
    public static final String UNHEALTHY_PARTITIONS = "unhealthy-partitions";
    public static final String PAUSED_TOPICS = "paused-topics";
    public static final String MAX_BYTES_PER_SECOND = "max-bytes-per-second";

    /**
     * The latency histogram's upper end: a larger latency counts as this much in the percentiles (the
     * average and the maximum stay exact). Its 2,000 buckets widen linearly, so they are about 1 ms wide
     * around 10 ms and 20 ms wide around 10 s.
     */
    static final double LATENCY_HISTOGRAM_MAX_MS = 120_000;
    private static final int LATENCY_HISTOGRAM_BYTES = 8_000;

    private static final Logger log = LoggerFactory.getLogger(MirrorSensors.class);

    private final Metrics metrics;
    private volatile ToDoubleFunction<TopicPartition> healthSource = tp -> Double.NaN;
    private final String groupId;
    private final boolean perRecord;
    private final Sensor latency;
    private final Sensor recordsRate;
    private final Sensor bytesRate;
    private final Sensor commitLatency;
    private final Sensor rebalances;
    private JmxReporter jmx;
    private volatile Executor registrations;
    private boolean closed;

    /**
     * The metrics of the mirror of consumer group {@code groupId}, not yet reported anywhere.
     *
     * @param level {@link RecordingLevel#DEBUG} or {@link RecordingLevel#TRACE} keeps the per-record
     *              sensors, {@link RecordingLevel#INFO} leaves them out
     */
    public MirrorSensors(String groupId, RecordingLevel level) {
        this.groupId = groupId;
        this.metrics = new Metrics(new MetricConfig().recordLevel(level), new ArrayList<>(), Time.SYSTEM);
        // Kafka's registry counts its own metrics under an MBean without our group tag, which two mirrors would share
        metrics.removeMetric(metrics.metricName("count", "kafka-metrics-count"));
        this.perRecord = RecordingLevel.DEBUG.shouldRecord(level.id);
        if (perRecord) {
            latency = metrics.sensor("replication-latency", RecordingLevel.DEBUG);
            latency.add(mirrorName(REPLICATION_LATENCY_AVG, "Average ms from a record's source timestamp to the"
                    + " destination's acknowledgement"), new Avg());
            latency.add(mirrorName(REPLICATION_LATENCY_MAX, "Maximum of the same, in ms"), new Max());
            latency.add(new Percentiles(LATENCY_HISTOGRAM_BYTES, LATENCY_HISTOGRAM_MAX_MS, Percentiles.BucketSizing.LINEAR,
                    new Percentile(mirrorName(REPLICATION_LATENCY_P50, "Median of the same, in ms"), 50),
                    new Percentile(mirrorName(REPLICATION_LATENCY_P99, "99th percentile of the same, in ms"), 99)));
        } else {
            latency = null;
        }
        recordsRate = metrics.sensor("records-mirrored");
        recordsRate.add(mirrorName(RECORDS_MIRRORED_RATE, "Records the destination acknowledged, per second"),
                new Rate(new WindowedSum()));
        bytesRate = metrics.sensor("bytes-mirrored");
        bytesRate.add(mirrorName(BYTES_MIRRORED_RATE, "Key and value bytes of those records, per second"),
                new Rate(new WindowedSum()));
        commitLatency = metrics.sensor("commit-latency");
        commitLatency.add(mirrorName(COMMIT_LATENCY_AVG, "Average ms an offset commit took"), new Avg());
        commitLatency.add(mirrorName(COMMIT_LATENCY_MAX, "Maximum ms an offset commit took"), new Max());
        commitLatency.add(mirrorName(COMMITS_TOTAL, "Offset commits (exactly-once: transactions committed)"),
                new CumulativeCount());
        rebalances = metrics.sensor("rebalances");
        rebalances.add(mirrorName(REBALANCES_TOTAL, "Rebalances the mirror's streams took part in, one per stream"),
                new CumulativeCount());
    }

    /** The group id the metrics are tagged with. */
    public String groupId() {
        return groupId;
    }

    /** Whether the per-record sensors are kept. */
    public boolean perRecord() {
        return perRecord;
    }

    /** Adds a mirror-wide metric whose value {@code value} gives when read. */
    public void gauge(String name, String description, DoubleSupplier value) {
        metrics.addMetric(mirrorName(name, description), (config, now) -> value.getAsDouble());
    }

    /** Records that {@code records} more records of {@code bytes} bytes were mirrored, for the rates. */
    public void mirrored(long records, long bytes) {
        recordsRate.record(records);
        bytesRate.record(bytes);
    }

    /** Records that an offset commit took {@code millis}. */
    public void commitTook(long millis) {
        commitLatency.record(millis);
    }

    /** Records that a stream took part in a rebalance. */
    public void rebalanced() {
        rebalances.record();
    }

    /**
     * Where the partitions' {@value #HEALTH} metric reads from: a partition's health state as a number
     * (its {@code PartitionHealth.State} ordinal: 0 OK, 1 LAGGING, 2 PAUSED, 3 FAILED), NaN when unknown.
     */
    public void healthSource(ToDoubleFunction<TopicPartition> source) {
        this.healthSource = source;
    }

    double health(TopicPartition tp) {
        return healthSource.applyAsDouble(tp);
    }

    /**
     * The metrics of newly assigned source partition {@code tp}, counting from now and registered on the
     * executor {@link #registerPartitionsOn} named (else here); close them when it leaves the mirror.
     */
    public PartitionMetrics partition(TopicPartition tp) {
        PartitionMetrics partition = new PartitionMetrics(this, tp);
        Executor executor = registrations;
        if (executor == null) {
            partition.register();
        } else {
            try {
                executor.execute(partition::register);
            } catch (RejectedExecutionException e) {
                // the mirror is stopping: its partitions' metrics are not needed any more
            }
        }
        return partition;
    }

    /**
     * Registers partitions' metrics on {@code executor} from now on (one of the mirror's own threads), so that a
     * rebalance of thousands of partitions does not wait for them: with JMX on, Kafka registers a partition's MBean
     * again for each of its metrics.
     */
    public void registerPartitionsOn(Executor executor) {
        this.registrations = executor;
    }

    /** The current value of mirror-wide metric {@code name}; NaN if there is no such metric. */
    public double value(String name) {
        KafkaMetric metric = metrics.metric(metrics.metricName(name, MIRROR_GROUP, mirrorTags()));
        return metric == null ? Double.NaN : ((Number) metric.metricValue()).doubleValue();
    }

    /**
     * Shows the metrics over JMX from now until {@link #close()}. Another mirror in this JVM with the
     * same group would show its metrics under the same names: that is logged, once.
     */
    public synchronized void reportOverJmx() {
        if (jmx != null || closed) {
            return;
        }
        if (ManagementFactory.getPlatformMBeanServer().isRegistered(mirrorMBean())) {
            log.warn("Another mirror in this JVM already reports group {} over JMX; {} shows one of them at a time."
                    + " Give each mirror its own groupId to see both", groupId, mirrorMBean());
        }
        jmx = new JmxReporter();
        jmx.contextChange(new KafkaMetricsContext(JMX_PREFIX));
        metrics.addReporter(jmx);
    }

    /**
     * Tells {@code reporter} about every metric now and as metrics come and go, until {@link #close()}
     * (which closes it).
     *
     * @throws IllegalStateException if the metrics are closed
     */
    public synchronized void addReporter(MetricsReporter reporter) {
        if (closed) {
            throw new IllegalStateException("the metrics of mirror " + groupId + " are closed: the mirror was closed");
        }
        metrics.addReporter(reporter);
    }

    /** Closes every reporter: the MBeans are unregistered. Idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            metrics.close();
        }
    }

    /** The object name of the mirror-wide MBean. */
    public ObjectName mirrorMBean() {
        try {
            return new ObjectName(JMX_PREFIX + ":type=" + MIRROR_GROUP + ",group=" + Sanitizer.jmxSanitize(groupId));
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

    Metrics metrics() {
        return metrics;
    }

    /** Records the replication latency; the parent of each partition's sensor. */
    Sensor latencySensor() {
        return latency;
    }

    Map<String, String> mirrorTags() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("group", groupId);
        return tags;
    }

    private MetricName mirrorName(String name, String description) {
        return metrics.metricName(name, MIRROR_GROUP, description, mirrorTags());
    }
}
