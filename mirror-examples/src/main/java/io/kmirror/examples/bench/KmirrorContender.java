package io.kmirror.examples.bench;

import io.kmirror.DeliveryGuarantee;
import io.kmirror.Mirror;
import io.kmirror.MirrorBuilder;
import io.kmirror.MirrorState;
import io.kmirror.TopicFilter;
import io.kmirror.TopicNaming;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.metrics.Sensor.RecordingLevel;

/**
 * The benchmark's kmirror contenders: one {@link Mirror} with the library's defaults, changed only by
 * what the orchestrator passes (guarantee, streams, client settings to experiment with). Counts a
 * record when {@link Mirror#metrics()} reports it acknowledged by the destination; with
 * {@link DeliveryGuarantee#EXACTLY_ONCE} the clock stops only after {@link Mirror#awaitCaughtUp}, when
 * the last transaction is committed and the records are visible to {@code read_committed} readers.
 *
 * <p>Run by the orchestrator ({@link Bench}) in a JVM of its own; see {@link ContenderIo}.
 */
public final class KmirrorContender {

    private static final Duration CATCH_UP_TIMEOUT = Duration.ofMinutes(2);

    private KmirrorContender() {
    }

    /**
     * The mirror's {@code records-mirrored-total}, read over JMX: a {@link Mirror#metrics()} snapshot copies
     * every partition's figures, and sampled every 10 ms at 2,000 partitions over 200 topics it took a third
     * of the contender's CPU samples (the snapshot's immutable maps probe long runs of the partitions'
     * clustered hash codes). Falls back to the snapshot if the MBean cannot be read.
     */
    static java.util.function.LongSupplier recordsMirrored(Mirror mirror, String group) {
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        javax.management.ObjectName name;
        try {
            name = new javax.management.ObjectName("kmirror:type=mirror-metrics,group="
                    + org.apache.kafka.common.utils.Sanitizer.jmxSanitize(group));
        } catch (javax.management.MalformedObjectNameException e) {
            return () -> mirror.metrics().recordsMirrored();
        }
        return () -> {
            try {
                return ((Number) server.getAttribute(name, "records-mirrored-total")).longValue();
            } catch (javax.management.JMException | RuntimeException e) {
                return mirror.metrics().recordsMirrored();
            }
        };
    }

    /** Runs a mirror with the orchestrator's arguments and exits 0, or 1 on a failure. */
    public static void main(String[] args) {
        ContenderIo.exitWith(args, KmirrorContender::run);
    }

    static int run(ContenderArgs args, ContenderIo io) throws Exception {
        long expected = Long.parseLong(args.get(ContenderArgs.EXPECT, "0"));
        DeliveryGuarantee guarantee = DeliveryGuarantee.valueOf(args.get(ContenderArgs.GUARANTEE, "AT_LEAST_ONCE"));
        Map<String, Object> source = args.consumer();
        source.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args.get(ContenderArgs.SOURCE));
        Map<String, Object> destination = args.producer();
        destination.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args.get(ContenderArgs.DESTINATION));
        long clientsStart = System.currentTimeMillis();
        MirrorBuilder builder = Mirror.builder()
                .source(source)
                .destination(destination)
                .topics(TopicFilter.include(args.get(ContenderArgs.TOPIC)))
                .topicNaming(TopicNaming.prefix(args.get(ContenderArgs.PREFIX)))
                .groupId(args.get(ContenderArgs.GROUP))
                .streams(Integer.parseInt(args.get(ContenderArgs.STREAMS, "" + MirrorBuilder.DEFAULT_STREAMS)))
                .guarantee(guarantee);
        args.mirror().forEach((key, value) -> {
            switch (key) {
                case "offsetCommitIntervalMs" -> builder.offsetCommitInterval(Duration.ofMillis(Long.parseLong(value.toString())));
                case "transactionCommitIntervalMs" -> builder.transactionCommitInterval(Duration.ofMillis(Long.parseLong(value.toString())));
                case "maxTransactionRecords" -> builder.maxTransactionRecords(Integer.parseInt(value.toString()));
                case "transactionSlots" -> builder.transactionSlots(Integer.parseInt(value.toString()));
                case ContenderSpec.METRICS_RECORDING_LEVEL -> builder.metricsRecordingLevel(RecordingLevel.forName(value.toString()));
                case ContenderSpec.LOOP_PREVENTION -> builder.loopPrevention(Boolean.parseBoolean(value.toString()));
                case ContenderSpec.OFFSET_TRANSLATION -> builder.offsetTranslation(Boolean.parseBoolean(value.toString()));
                default -> throw new IllegalArgumentException("unknown mirror setting " + key);
            }
        });
        try (Mirror mirror = builder.build()) {
            mirror.start();
            Progress progress = Progress.start(recordsMirrored(mirror, args.get(ContenderArgs.GROUP)), expected, clientsStart);
            boolean ready = false;
            while (expected > 0 ? !progress.awaitExpected(Duration.ofMillis(5)) : !io.stopRequested()) {
                MirrorState state = mirror.state();
                if (state == MirrorState.FAILED) {
                    throw new IllegalStateException("the mirror failed", mirror.failure().orElse(null));
                }
                if (!ready && state == MirrorState.RUNNING) {
                    ready = true;
                    io.ready();
                }
                if (expected > 0 && io.stopRequested()) {
                    throw new IllegalStateException("stopped before all " + expected + " records were mirrored");
                }
                if (expected == 0) {
                    Thread.sleep(5);
                }
            }
            long end = 0;
            if (expected > 0 && guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
                if (!mirror.awaitCaughtUp(CATCH_UP_TIMEOUT)) {
                    throw new IllegalStateException("not caught up within " + CATCH_UP_TIMEOUT);
                }
                end = System.currentTimeMillis();
            }
            Map<String, Object> cost = ProcessStats.snapshot();
            progress.stop();
            Map<String, Object> fields = progress.fields(end);
            fields.putAll(cost);
            io.result(fields);
        }
        return 0;
    }
}
