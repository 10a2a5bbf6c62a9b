package io.kmirror.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.kmirror.MirrorState;
import io.kmirror.cli.StatusLine.Sample;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class StatusDisplayTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, UTF_8);
    private final AtomicLong mirrored = new AtomicLong();
    private final Supplier<Sample> sampler =
            () -> new Sample(System.nanoTime(), MirrorState.RUNNING, mirrored.addAndGet(100), 0, mirrored.get(), 7, 1);

    @Test
    void notOnATerminal_printsPlainTimestampedLines() {
        try (StatusDisplay display = new StatusDisplay(sampler, out, 0, false, Duration.ofMillis(20))) {
            display.start();
            awaitOutput("two log lines", () -> output().lines().count() >= 2);
        }
        assertThat(output()).doesNotContain("\r");
        assertThat(output().lines().findFirst().orElseThrow())
                .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d kmirror: RUNNING  [\\d,]+ records/s  0\\.00 MB/s  lag 7  1 topic  [\\d,]+ records mirrored");
    }

    @Test
    void onATerminal_redrawsOneLine_messagesGoAboveIt_andCloseEndsIt() {
        try (StatusDisplay display = new StatusDisplay(sampler, out, 80, true, Duration.ofMillis(20))) {
            display.start();
            awaitOutput("a status line", () -> output().contains("\r["));
            display.message("Running: hello");
        }
        String text = output();
        assertThat(text).contains("\rRunning: hello\n").contains("of 207 records").doesNotContain("kmirror:");
        assertThat(text).as("the last status line is kept and ended").matches("(?s).*\\r\\[#*\\.*\\] .* ETA \\S+ *\n");
        assertThat(text.split("\n")).as("status lines are redrawn in place, not appended").hasSize(2);
        assertThat(text.split("[\r\n]")).as("no status line wraps on 80 columns").allSatisfy(line ->
                assertThat(line.length()).isLessThan(80));
    }

    private String output() {
        return bytes.toString(UTF_8);
    }

    /** Polls a real condition; the test fails if it does not come true within 10 s. */
    private static void awaitOutput(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("no " + what + " within 10 s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }
}
