package io.kmirror;

import io.kmirror.internal.MirrorRuntime;
import io.kmirror.internal.metrics.MicrometerReporter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * Shows a mirror's metrics in a Micrometer {@link MeterRegistry} (Prometheus, Datadog, ... or a
 * {@code SimpleMeterRegistry}), with the same figures as its JMX MBeans and {@link Mirror#metrics()}.
 * Needs {@code io.micrometer:micrometer-core} on the class path; kmirror declares it optional, so an
 * application without Micrometer pulls nothing.
 *
 * <pre>{@code
 * Mirror mirror = Mirror.builder()...build();
 * new MirrorMeterBinder(mirror).bindTo(registry);
 * mirror.start();
 * }</pre>
 *
 * <p>Meters, each tagged {@code group=<groupId>} (plus the tags given here); per-partition ones also
 * {@code topic} and {@code partition}. Time values are time gauges, shown in the registry's base time
 * unit (seconds for Prometheus):
 * <ul>
 *   <li>{@code kmirror.records.mirrored}, {@code kmirror.bytes.mirrored}, {@code kmirror.records.skipped},
 *       {@code kmirror.records.dropped}, {@code kmirror.commits}, {@code kmirror.rebalances}: counters;
 *   <li>{@code kmirror.replication.latency} with tag {@code quantile} 0.5 and 0.99,
 *       {@code kmirror.replication.latency.avg}, {@code kmirror.replication.latency.max},
 *       {@code kmirror.commit.latency.avg}, {@code kmirror.commit.latency.max}: time gauges;
 *   <li>{@code kmirror.failed} (0 or 1), {@code kmirror.topics}, {@code kmirror.partitions}: gauges;
 *   <li>per partition: {@code kmirror.lag.records} (gauge), {@code kmirror.lag.seconds} (time gauge: how far
 *       behind the destination is), {@code kmirror.partition.records.mirrored} (counter),
 *       {@code kmirror.partition.replication.latency.avg} and {@code .max} (time gauges).
 * </ul>
 * Partition meters are added and removed as partitions join and leave the mirror; every meter is
 * removed when the mirror is closed.
 */
public final class MirrorMeterBinder implements MeterBinder {

    private final MirrorRuntime mirror;
    private final Tags tags;

    /** A binder for {@code mirror}, which must have been built by {@link Mirror#builder()}. */
    public MirrorMeterBinder(Mirror mirror) {
        this(mirror, Tags.empty());
    }

    /**
     * A binder for {@code mirror} that adds {@code tags} to every meter.
     *
     * @throws IllegalArgumentException if {@code mirror} was not built by {@link Mirror#builder()}
     */
    public MirrorMeterBinder(Mirror mirror, Iterable<Tag> tags) {
        Objects.requireNonNull(mirror, "mirror");
        if (!(mirror instanceof MirrorRuntime runtime)) {
            throw new IllegalArgumentException("MirrorMeterBinder binds mirrors built by Mirror.builder(), not a "
                    + mirror.getClass().getName());
        }
        this.mirror = runtime;
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    /**
     * Registers the mirror's meters in {@code registry}. Bind before or while the mirror runs.
     *
     * @throws IllegalStateException if the mirror is closed
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        mirror.sensors().addReporter(new MicrometerReporter(Objects.requireNonNull(registry, "registry"), tags));
    }
}
