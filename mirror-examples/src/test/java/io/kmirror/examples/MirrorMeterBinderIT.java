package io.kmirror.examples;

import static io.kmirror.testkit.MirrorAssertions.assertThat;

import io.kmirror.Mirror;
import io.kmirror.MirrorMeterBinder;
import io.kmirror.MirrorMetrics;
import io.kmirror.TopicFilter;
import io.kmirror.testkit.Destination;
import io.kmirror.testkit.MirrorClusters;
import io.kmirror.testkit.Source;
import io.kmirror.testkit.TestKafkaCluster;
import io.kmirror.testkit.Topics;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** The Micrometer binder against real brokers: the same figures as the snapshot and the MBeans. */
@MirrorClusters
class MirrorMeterBinderIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void simpleMeterRegistry_showsTheSameNumbersAsTheSnapshotAndJmx_andLosesTheMetersOnClose(@Source TestKafkaCluster source,
            @Destination TestKafkaCluster destination) throws Exception {
        String topic = Topics.unique("metered");
        String group = Topics.unique("group");
        source.createTopic(topic, 3);
        source.produceKeyed(topic, 1_500, 50, 8);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        try (Mirror mirror = Mirror.builder()
                .source(source.clientConfig()).destination(destination.clientConfig())
                .topics(TopicFilter.include(topic)).groupId(group).offsetCommitInterval(Duration.ofMillis(200))
                .build()) {
            new MirrorMeterBinder(mirror, Tags.of("app", "it")).bindTo(registry);
            mirror.start();
            assertThat(mirror).hasCaughtUp(WAIT).hasMirrored(1_500);

            MirrorMetrics snapshot = mirror.metrics();
            assertThat(registry.get("kmirror.records.mirrored").tags("group", group, "app", "it").functionCounter().count())
                    .isEqualTo(1_500.0);
            assertThat(registry.get("kmirror.bytes.mirrored").functionCounter().count()).isEqualTo((double) snapshot.bytesMirrored());
            assertThat(registry.get("kmirror.partitions").gauge().value()).isEqualTo(3.0);
            assertThat(registry.get("kmirror.failed").gauge().value()).isEqualTo(0.0);
            assertThat(registry.get("kmirror.commits").functionCounter().count()).as("caught up: offsets committed").isPositive();
            assertThat(registry.get("kmirror.partition.records.mirrored").functionCounters())
                    .extracting(counter -> counter.getId().getTag("partition")).containsExactlyInAnyOrder("0", "1", "2");
            assertThat(registry.get("kmirror.partition.records.mirrored").functionCounters().stream()
                    .mapToDouble(counter -> counter.count()).sum()).isEqualTo(1_500.0);

            ObjectName mirrorBean = new ObjectName("kmirror:type=mirror-metrics,group=" + group);
            double p99Millis = registry.get("kmirror.replication.latency").tag("quantile", "0.99").timeGauge().value(TimeUnit.MILLISECONDS);
            assertThat(p99Millis).isEqualTo((Double) ManagementFactory.getPlatformMBeanServer().getAttribute(mirrorBean,
                    "replication-latency-p99"));

            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!lagIsZeroEverywhere(registry) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(registry.get("kmirror.lag.records").gauges()).hasSize(3)
                    .allSatisfy(gauge -> assertThat(gauge.value()).isEqualTo(0.0));
            assertThat(registry.get("kmirror.lag.seconds").timeGauges()).hasSize(3)
                    .allSatisfy(gauge -> assertThat(gauge.value(TimeUnit.SECONDS)).isEqualTo(0.0));
            assertThat(mirror.metrics().totalLag()).isZero();
        }
        assertThat(registry.getMeters()).extracting(Meter::getId).extracting(id -> id.getName())
                .as("kmirror meters left after close()").noneMatch(name -> name.startsWith("kmirror."));
    }

    private static boolean lagIsZeroEverywhere(SimpleMeterRegistry registry) {
        return registry.find("kmirror.lag.records").gauges().stream().allMatch(g -> g.value() == 0.0)
                && registry.find("kmirror.lag.seconds").timeGauges().stream().allMatch(g -> g.value(TimeUnit.SECONDS) == 0.0);
    }
}
