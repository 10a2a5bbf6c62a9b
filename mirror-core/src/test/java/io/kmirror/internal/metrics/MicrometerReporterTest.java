package io.kmirror.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.internal.MirrorCounters;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.Sensor.RecordingLevel;
import org.junit.jupiter.api.Test;

class MicrometerReporterTest {

    private static final TopicPartition TP = new TopicPartition("orders", 1);

    @Test
    void partitionMetersFollowTheirPartitions_andEveryMeterGoesWhenTheMetricsClose() {
        MirrorSensors sensors = new MirrorSensors("meters", RecordingLevel.DEBUG);
        MirrorCounters counters = new MirrorCounters(sensors);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        sensors.addReporter(new MicrometerReporter(registry, Tags.of("app", "test")));

        counters.assigned(List.of(TP));
        counters.lag(TP, 42, OptionalLong.of(System.currentTimeMillis() - 3_000));
        counters.acknowledged(TP, new RecordMetadata(TP, 0, 0, System.currentTimeMillis(), 3, 7));

        assertThat(registry.get("kmirror.lag.records").tags("group", "meters", "topic", "orders", "partition", "1", "app", "test")
                .gauge().value()).isEqualTo(42.0);
        assertThat(registry.get("kmirror.lag.seconds").timeGauge().value(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(3_000);
        assertThat(registry.get("kmirror.records.mirrored").functionCounter().count()).isEqualTo(1.0);
        assertThat(registry.get("kmirror.bytes.mirrored").functionCounter().count()).isEqualTo(10.0);
        assertThat(registry.get("kmirror.partition.records.mirrored").functionCounter().count()).isEqualTo(1.0);

        counters.removed(List.of(TP));
        assertThat(registry.find("kmirror.lag.records").gauges()).isEmpty();
        assertThat(registry.find("kmirror.partition.records.mirrored").functionCounters()).isEmpty();
        assertThat(registry.get("kmirror.records.mirrored").functionCounter().count()).isEqualTo(1.0);

        sensors.close();
        assertThat(registry.getMeters()).isEmpty();
    }
}
