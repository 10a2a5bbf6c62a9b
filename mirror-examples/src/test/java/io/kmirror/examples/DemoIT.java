package io.kmirror.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.cli.KmirrorJar;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
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
    void failoverDemo_movesTheGroupHalfway_andItReadsEveryRecordExactlyOnce_exit0() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = DemoMain.run(new String[] {"demo", "--failover", "--records", "20000"}, InputStream.nullInputStream(),
                new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8));

        assertThat(code).as("exit code; stdout:%n%s%nstderr:%n%s", out.toString(UTF_8), err.toString(UTF_8)).isZero();
        assertThat(out.toString(UTF_8)).contains(
                "Consumer group demo-app read 10,000 records on the source, committed its positions and stopped.",
                "The same group, now on the destination, read 10,000 records.",
                "10,000 on the source + 10,000 on the destination = 20,000: every record of testtopic read exactly once");
        assertThat(out.toString(UTF_8)).as("offsets differ: the destination held records of its own")
                .containsPattern("testtopic-0  source ([0-9,]+)  ->  destination (?!\\1 )[0-9,]+ ");
    }

    @Test
    void failoverCheck_namesARecordReadTwice_andOneMissing() {
        var all = List.of(record(0, "a"), record(1, "b"), record(2, "c"));
        assertThat(FailoverDemo.check(all, all.subList(0, 2), List.of(record(1, "b"), record(2, "c")))).contains(
                "partition 0, record 2 of the source (read on the destination): expected c, read b");
        assertThat(FailoverDemo.check(all, all.subList(0, 1), List.of(record(2, "c")))).contains(
                "partition 0, record 1 of the source (read on the destination): expected b, read c");
        assertThat(FailoverDemo.check(all, all.subList(0, 1), all.subList(1, 3))).isEmpty();
    }

    private static org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> record(long offset, String value) {
        return new org.apache.kafka.clients.consumer.ConsumerRecord<>("testtopic", 0, offset, "k".getBytes(UTF_8),
                value.getBytes(UTF_8));
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
