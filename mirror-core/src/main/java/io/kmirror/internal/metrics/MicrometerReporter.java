package io.kmirror.internal.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsReporter;

/**
 * Shows a mirror's Kafka metrics as Micrometer meters, registering and removing them as the metrics
 * come and go (partitions joining and leaving the mirror), and removing all of them when the mirror is
 * closed. Each meter reads its Kafka metric when the registry asks, so both show the same figures.
 * Only the metrics a Micrometer backend cannot derive are shown: no rates (the backend computes them
 * from the counters) and no maxima over partitions (a query takes them).
 */
public final class MicrometerReporter implements MetricsReporter {

    /** How a Kafka metric becomes a meter. */
    private enum Kind { COUNTER, GAUGE, MILLIS }

    /** A meter name and kind, and a tag of its own ({@code quantile}) when several metrics share the name. */
    private record MeterSpec(String name, Kind kind, Tags extra) {
        static MeterSpec of(String name, Kind kind) {
            return new MeterSpec(name, kind, Tags.empty());
        }
    }

    private static final Map<String, MeterSpec> MIRROR = Map.ofEntries(
            Map.entry(MirrorSensors.RECORDS_MIRRORED_TOTAL, MeterSpec.of("kmirror.records.mirrored", Kind.COUNTER)),
            Map.entry(MirrorSensors.BYTES_MIRRORED_TOTAL, MeterSpec.of("kmirror.bytes.mirrored", Kind.COUNTER)),
            Map.entry(MirrorSensors.RECORDS_SKIPPED_TOTAL, MeterSpec.of("kmirror.records.skipped", Kind.COUNTER)),
            Map.entry(MirrorSensors.RECORDS_DROPPED_TOTAL, MeterSpec.of("kmirror.records.dropped", Kind.COUNTER)),
            Map.entry(MirrorSensors.RECORDS_ALREADY_AT_DESTINATION_TOTAL,
                    MeterSpec.of("kmirror.records.already.at.destination", Kind.COUNTER)),
            Map.entry(MirrorSensors.REPLICATION_LATENCY_AVG, MeterSpec.of("kmirror.replication.latency.avg", Kind.MILLIS)),
            Map.entry(MirrorSensors.REPLICATION_LATENCY_MAX, MeterSpec.of("kmirror.replication.latency.max", Kind.MILLIS)),
            Map.entry(MirrorSensors.REPLICATION_LATENCY_P50,
                    new MeterSpec("kmirror.replication.latency", Kind.MILLIS, Tags.of("quantile", "0.5"))),
            Map.entry(MirrorSensors.REPLICATION_LATENCY_P99,
                    new MeterSpec("kmirror.replication.latency", Kind.MILLIS, Tags.of("quantile", "0.99"))),
            Map.entry(MirrorSensors.COMMIT_LATENCY_AVG, MeterSpec.of("kmirror.commit.latency.avg", Kind.MILLIS)),
            Map.entry(MirrorSensors.COMMIT_LATENCY_MAX, MeterSpec.of("kmirror.commit.latency.max", Kind.MILLIS)),
            Map.entry(MirrorSensors.COMMITS_TOTAL, MeterSpec.of("kmirror.commits", Kind.COUNTER)),
            Map.entry(MirrorSensors.REBALANCES_TOTAL, MeterSpec.of("kmirror.rebalances", Kind.COUNTER)),
            Map.entry(MirrorSensors.FAILED, MeterSpec.of("kmirror.failed", Kind.GAUGE)),
            Map.entry(MirrorSensors.TOPICS, MeterSpec.of("kmirror.topics", Kind.GAUGE)),
            Map.entry(MirrorSensors.PARTITIONS, MeterSpec.of("kmirror.partitions", Kind.GAUGE)),
            Map.entry(MirrorSensors.UNHEALTHY_PARTITIONS, MeterSpec.of("kmirror.partitions.unhealthy", Kind.GAUGE)),
            Map.entry(MirrorSensors.PAUSED_TOPICS, MeterSpec.of("kmirror.topics.paused", Kind.GAUGE)),
            Map.entry(MirrorSensors.MAX_BYTES_PER_SECOND, MeterSpec.of("kmirror.throttle.bytes.per.second", Kind.GAUGE)));

    private static final Map<String, MeterSpec> PARTITION = Map.of(
            MirrorSensors.RECORDS_LAG, MeterSpec.of("kmirror.lag.records", Kind.GAUGE),
            MirrorSensors.TIME_LAG_MS, MeterSpec.of("kmirror.lag.seconds", Kind.MILLIS),
            MirrorSensors.RECORDS_MIRRORED_TOTAL, MeterSpec.of("kmirror.partition.records.mirrored", Kind.COUNTER),
            MirrorSensors.REPLICATION_LATENCY_AVG, MeterSpec.of("kmirror.partition.replication.latency.avg", Kind.MILLIS),
            MirrorSensors.REPLICATION_LATENCY_MAX, MeterSpec.of("kmirror.partition.replication.latency.max", Kind.MILLIS),
            MirrorSensors.HEALTH, MeterSpec.of("kmirror.partition.health", Kind.GAUGE));

    private final MeterRegistry registry;
    private final Tags tags;
    private final Map<MetricName, Meter> meters = new ConcurrentHashMap<>();

    /** Registers meters in {@code registry}, each with {@code tags} besides its own. */
    public MicrometerReporter(MeterRegistry registry, Iterable<Tag> tags) {
        this.registry = registry;
        this.tags = Tags.of(tags);
    }

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public void init(List<KafkaMetric> metrics) {
        metrics.forEach(this::metricChange);
    }

    @Override
    public void metricChange(KafkaMetric metric) {
        MetricName name = metric.metricName();
        MeterSpec spec = (MirrorSensors.MIRROR_GROUP.equals(name.group()) ? MIRROR
                : MirrorSensors.PARTITION_GROUP.equals(name.group()) ? PARTITION : Map.<String, MeterSpec>of()).get(name.name());
        if (spec == null) {
            return;
        }
        metricRemoval(metric);
        Tags meterTags = tags.and(spec.extra());
        for (Map.Entry<String, String> tag : name.tags().entrySet()) {
            meterTags = meterTags.and(tag.getKey(), tag.getValue());
        }
        meters.put(name, switch (spec.kind()) {
            case COUNTER -> FunctionCounter.builder(spec.name(), metric, MicrometerReporter::value)
                    .description(name.description()).tags(meterTags).register(registry);
            case GAUGE -> Gauge.builder(spec.name(), metric, MicrometerReporter::value)
                    .description(name.description()).tags(meterTags).strongReference(true).register(registry);
            case MILLIS -> TimeGauge.builder(spec.name(), metric, TimeUnit.MILLISECONDS, MicrometerReporter::value)
                    .description(name.description()).tags(meterTags).strongReference(true).register(registry);
        });
    }

    @Override
    public void metricRemoval(KafkaMetric metric) {
        Meter meter = meters.remove(metric.metricName());
        if (meter != null) {
            registry.remove(meter);
        }
    }

    /** The mirror was closed: removes every meter. */
    @Override
    public void close() {
        meters.values().forEach(registry::remove);
        meters.clear();
    }

    private static double value(KafkaMetric metric) {
        return ((Number) metric.metricValue()).doubleValue();
    }
}
