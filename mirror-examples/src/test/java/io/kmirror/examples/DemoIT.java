package io.kmirror.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, run as a user runs it: the shaded jar in a JVM of its own. */
class DemoIT {

    @Test
    void demoFromTheJar_mirrorsAndVerifies_thenExitsZero(@TempDir Path dir) throws Exception {
        Path jar = Path.of(System.getProperty("kmirror.jar", "target/kmirror.jar"));
        assertThat(jar).as("the shaded jar built by 'mvn package'").exists();
        Path out = dir.resolve("out.txt");
        Process demo = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "demo", "--records", "20000"))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        boolean exited = demo.waitFor(5, TimeUnit.MINUTES);
        if (!exited) {
            demo.destroyForcibly();
        }
        String output = Files.readString(out);
        assertThat(exited).as("demo exited within 5 minutes; output:%n%s", output).isTrue();
        assertThat(demo.exitValue()).as("exit code; output:%n%s", output).isZero();
        assertThat(output).contains("Mirrored 20,000 records").contains("verified on the destination");
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
