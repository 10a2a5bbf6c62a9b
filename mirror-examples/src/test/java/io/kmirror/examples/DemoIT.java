package io.kmirror.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.cli.KmirrorJar;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, run as a user runs it: the demo jar in a JVM of its own, and its help. */
class DemoIT {

    @Test
    void demoFromTheJar_mirrorsAndVerifies_thenExitsZero_withNothingButItsOwnLinesOnStdout(@TempDir Path dir) throws Exception {
        try (KmirrorJar demo = KmirrorJar.start(KmirrorJar.demoJar(), dir, "demo", "--records", "20000")) {
            assertThat(demo.awaitExit(Duration.ofMinutes(5))).as("exit code; output:%n%s", demo.output()).isZero();
            assertThat(demo.stdout()).contains("Mirrored 20,000 records").contains("verified on the destination")
                    .as("the brokers' storage formatting is not printed").doesNotContain("Formatting", "Bootstrap metadata");
        }
    }

    @Test
    void demoHelp_exits0_fromTheDemoJar_andThroughTheOperatorsJar(@TempDir Path dir) throws Exception {
        for (Path jar : List.of(KmirrorJar.demoJar(), KmirrorJar.jar())) {
            try (KmirrorJar help = KmirrorJar.start(jar, dir, "demo", "--help")) {
                assertThat(help.awaitExit(KmirrorJar.WAIT)).as("exit code; output:%n%s", help.output()).isZero();
                assertThat(help.stdout()).contains("Usage: java -jar kmirror-demo.jar demo", "--records=N", "--interactive");
            }
        }
    }

    @Test
    void benchHelp_exits0_throughTheOperatorsJar(@TempDir Path dir) throws Exception {
        try (KmirrorJar help = KmirrorJar.start(dir, "bench", "--help")) {
            assertThat(help.awaitExit(KmirrorJar.WAIT)).as("exit code; output:%n%s", help.output()).isZero();
            assertThat(help.stdout()).contains("Usage: java -jar kmirror-demo.jar bench", "--contenders=LIST", "--records=N");
        }
    }

    @Test
    void demoMismatch_namesThePartitionAndOffset() {
        var source = List.of(
                new org.apache.kafka.clients.consumer.ConsumerRecord<>("t", 0, 0, "k".getBytes(), "a".getBytes()),
                new org.apache.kafka.clients.consumer.ConsumerRecord<>("t", 0, 1, "k".getBytes(), "b".getBytes()));
        var swapped = List.of(
                new org.apache.kafka.clients.consumer.ConsumerRecord<>("t", 0, 0, "k".getBytes(), "b".getBytes()),
                new org.apache.kafka.clients.consumer.ConsumerRecord<>("t", 0, 1, "k".getBytes(), "a".getBytes()));
        assertThat(Demo.firstMismatch(source, swapped)).contains(
                "partition 0, source offset 0 vs destination offset 0: value differs (key k)");
        assertThat(Demo.firstMismatch(source, source.subList(0, 1))).contains(
                "partition 0 has 1 records on the destination, 2 on the source; first missing: source offset 1");
        assertThat(Demo.firstMismatch(source, source)).isEmpty();
    }
}
