package io.kmirror.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmirror.DeliveryGuarantee;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The benchmark's flags and contender names. */
class BenchOptionsTest {

    @Test
    void defaults_areTheIssuesWorkload() {
        BenchOptions options = BenchOptions.parse(new String[0]);

        assertThat(options.records()).isEqualTo(1_000_000);
        assertThat(options.recordSize()).isEqualTo(1024);
        assertThat(options.partitions()).isEqualTo(8);
        assertThat(options.keys()).isEqualTo(10_000);
        assertThat(options.headers()).isEqualTo(2);
        assertThat(options.repetitions()).isEqualTo(3);
        assertThat(options.rate()).isEqualTo(20_000);
        assertThat(options.latencySeconds()).isEqualTo(30);
        assertThat(options.xmx()).isEqualTo("256m");
        assertThat(options.contenders()).extracting(ContenderSpec::name)
                .containsExactly("baseline", "baseline+batch.size=262144+linger.ms=5", "kmirror", "kmirror-eos",
                        "kmirror-2streams", "kmirror-4streams");
        assertThat(options.contenders()).filteredOn(c -> c.name().equals("kmirror")).extracting(ContenderSpec::streams)
                .containsExactly(io.kmirror.MirrorBuilder.DEFAULT_STREAMS);
    }

    @Test
    void badFlags_areAllNamedAtOnce() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--records", "many", "--colour=red", "--contenders", "mm2",
            "--xmx", "lots"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--records must be a whole number, not 'many'")
                .hasMessageContaining("unknown flag --colour")
                .hasMessageContaining("unknown contender 'mm2'")
                .hasMessageContaining("--xmx must be a heap size like 256m, not 'lots'");
    }

    @Test
    void contenderNames_carryGuaranteeStreamsAndSettings() {
        ContenderSpec spec = ContenderSpec.parse("kmirror-eos-4streams+linger.ms=20+source.fetch.min.bytes=65536");
        assertThat(spec.guarantee()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(spec.streams()).isEqualTo(4);
        assertThat(spec.producer()).isEqualTo(Map.of("linger.ms", "20"));
        assertThat(spec.consumer()).isEqualTo(Map.of("fetch.min.bytes", "65536"));
        assertThat(spec.baseName()).isEqualTo("kmirror-eos-4streams");

        assertThat(ContenderSpec.parse("baseline").mainClass()).isEqualTo(BaselineContender.class.getName());
        assertThat(ContenderSpec.parse("kmirror-eos+mirror.transactionCommitIntervalMs=50").mirror())
                .isEqualTo(Map.of("transactionCommitIntervalMs", "50"));
        assertThatThrownBy(() -> ContenderSpec.parse("baseline+mirror.offsetCommitIntervalMs=100")).hasMessageContaining("kmirror only");
        assertThatThrownBy(() -> ContenderSpec.parse("kmirror+mirror.streams=2")).hasMessageContaining("mirror.");
        assertThat(ContenderSpec.parse("kmirror+mirror.metricsRecordingLevel=INFO").mirror())
                .isEqualTo(Map.of("metricsRecordingLevel", "INFO"));
        assertThatThrownBy(() -> ContenderSpec.parse("kmirror+mirror.metricsRecordingLevel=OFF"))
                .hasMessageContaining("mirror.metricsRecordingLevel=INFO|DEBUG");
        assertThat(ContenderSpec.parse("kmirror-eos+mirror.offsetTranslation=false").mirror())
                .isEqualTo(Map.of("offsetTranslation", "false"));
        assertThatThrownBy(() -> ContenderSpec.parse("kmirror+mirror.offsetTranslation=no"))
                .hasMessageContaining("mirror.offsetTranslation=true|false");
    }

    @Test
    void keepLogsAndStartupJdk_areOffUnlessGiven_andTheJdkMustHaveAJava(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        BenchOptions plain = BenchOptions.parse(new String[0]);
        assertThat(plain.keepLogs()).isFalse();
        assertThat(plain.startupJdk()).isNull();

        java.nio.file.Path thisJdk = java.nio.file.Path.of(System.getProperty("java.home"));
        BenchOptions given = BenchOptions.parse(new String[] {"--keep-logs", "--startup-jdk", thisJdk.toString()});
        assertThat(given.keepLogs()).isTrue();
        assertThat(given.startupJdk()).isEqualTo(thisJdk);

        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--startup-jdk", dir.toString()}))
                .hasMessageContaining("--startup-jdk must be a JDK's directory (one with bin/java), not '" + dir + "'");
    }

    @Test
    void startupMirrorMaker2_isOffUnlessGiven_andMustBeADirectoryHoldingConnectMirror(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        assertThat(BenchOptions.parse(new String[0]).startupMirrorMaker2()).isNull();

        java.nio.file.Files.createFile(dir.resolve("connect-mirror-client-4.3.1.jar"));
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--startup-mirrormaker2", dir.toString()}))
                .hasMessageContaining("--startup-mirrormaker2 must be a directory of Kafka's jars holding connect-mirror-<version>.jar"
                        + " (a Kafka distribution's libs/), not '" + dir + "'");

        java.nio.file.Files.createFile(dir.resolve("connect-mirror-4.3.1.jar"));
        assertThat(BenchOptions.parse(new String[] {"--startup-mirrormaker2", dir.toString()}).startupMirrorMaker2()).isEqualTo(dir);
    }

    @Test
    void aContendersOwnHeap_replacesTheRunsXmx_forItsJvmOnly() throws Exception {
        BenchOptions options = BenchOptions.parse(new String[] {"--xmx", "1g", "--jvm-options", "-XX:+UseSerialGC",
                "--contenders", "baseline,kmirror-eos-2streams+jvm.xmx=256m"});

        assertThat(options.contenderJvm(options.contenders().get(0))).containsExactly("-Xmx1g", "-XX:+UseSerialGC");
        assertThat(options.contenderJvm(options.contenders().get(1))).containsExactly("-Xmx256m", "-XX:+UseSerialGC");
        assertThat(options.contenders().get(1).producer()).isEmpty();
        assertThatThrownBy(() -> ContenderSpec.parse("kmirror+jvm.xmx=much")).hasMessageContaining("jvm.xmx must be a heap size like 256m");
    }

    @Test
    void startupScenario_runsOnlyWhenAskedFor() throws Exception {
        BenchOptions startup = BenchOptions.parse(new String[] {"--scenario", "startup"});
        BenchOptions all = BenchOptions.parse(new String[] {"--scenario", "all"});

        assertThat(startup.startupScenario()).isTrue();
        assertThat(startup.throughputScenario()).isFalse();
        assertThat(startup.scaleScenario()).isFalse();
        assertThat(all.startupScenario()).as("all = throughput and scale: startup needs the built kmirror.jar").isFalse();
        assertThat(all.throughputScenario()).isTrue();
        assertThat(all.scaleScenario()).isTrue();
    }

    @Test
    void contenderArgs_roundTrip() {
        ContenderArgs args = ContenderSpec.parse("kmirror+acks=1+mirror.offsetCommitIntervalMs=1000").args("s:1", "d:2")
                .with(ContenderArgs.EXPECT, 10);

        ContenderArgs back = ContenderArgs.parse(args.toArgs().toArray(String[]::new));

        assertThat(back.get(ContenderArgs.SOURCE)).isEqualTo("s:1");
        assertThat(back.get(ContenderArgs.EXPECT)).isEqualTo("10");
        assertThat(back.producer()).isEqualTo(Map.of("acks", "1"));
        assertThat(back.mirror()).isEqualTo(Map.of("offsetCommitIntervalMs", "1000"));
    }
}
