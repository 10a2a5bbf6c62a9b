package io.kmirror.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark still works end to end on a tiny workload: every scenario, and each kind of contender
 * (the bare loop, kmirror at-least-once with its defaults, kmirror exactly-once with two streams) in
 * a JVM of its own. Asserts nothing about speed: timing belongs to {@code kmirror bench}, not to a build.
 */
class BenchSmokeIT {

    private static final List<String> CONTENDERS = List.of("baseline", "kmirror", "kmirror-eos-2streams");

    @Test
    void tinyRunOfEveryScenario_exitsZero_andReportsEveryContender(@TempDir Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path json = dir.resolve("results.jsonl");

        int code = Bench.run(new String[] {"--scenario", "all", "--contenders", String.join(",", CONTENDERS),
            "--records", "5000", "--topics", "3", "--repetitions", "1",
            "--latency-seconds", "1", "--warmup-seconds", "1", "--rate", "2000", "--scale-partitions", "4",
            "--json", json.toString()}, print(out), print(err));

        String output = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as("exit code; stdout:%n%s%nstderr:%n%s", output, err.toString(StandardCharsets.UTF_8)).isZero();
        for (String contender : CONTENDERS) {
            assertThat(output).as("stdout").containsPattern("(?m)^\\| " + contender + " +\\| 1 \\| [0-9.]+ \\| [0-9,]+ \\|")
                    .containsPattern("(?m)^\\| " + contender + " +\\| 1 \\| [0-9]+ \\| [0-9]+ \\|");
        }
        assertThat(output).containsPattern("(?m)^\\| 1 x kmirror \\| 1 \\|").containsPattern("(?m)^\\| 2 x kmirror \\| 1 \\|");
        assertThat(json).exists();
        assertThat(lines(json)).as("one line per run and per median")
                .hasSize(CONTENDERS.size() * 2 + CONTENDERS.size() * 2 + 2)
                .allSatisfy(line -> assertThat(JsonLine.parse(line)).containsKeys("scenario", "kind", "records"));
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
