package io.kmirror.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo --interactive}: lines on stdin go to the source's testtopic and are shown once they are on the destination. */
class InteractiveDemoIT {

    @Test
    void typedLines_areShownWhenTheyArriveOnTheDestination_andEndOfInputEndsTheDemo(@TempDir Path dir) throws Exception {
        try (KmirrorJar demo = KmirrorJar.start(dir, "demo", "--interactive")) {
            try (OutputStream stdin = demo.process().getOutputStream()) {
                stdin.write("hello\nworld\n".getBytes(UTF_8));
            }
            assertThat(demo.awaitExit(Duration.ofMinutes(3))).as("exit code; output:%n%s", demo.output()).isZero();
            assertThat(demo.stdout())
                    .contains("Type lines: each goes to testtopic on the source and is shown when it has arrived on the destination.")
                    .containsPattern("mirrored: \"hello\"  \\(destination testtopic-\\d offset \\d+, \\d+ ms after it was sent\\)")
                    .contains("mirrored: \"world\"")
                    .contains("2 line(s) typed, 2 mirrored.");
        }
    }
}
