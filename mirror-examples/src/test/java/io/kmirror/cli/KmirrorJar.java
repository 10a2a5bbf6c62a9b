package io.kmirror.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** {@code java -jar kmirror.jar ...} (or the demo jar) in a JVM of its own, as a user runs it, in a working directory of the test's. */
public final class KmirrorJar implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(90);

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private KmirrorJar(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** The operator's jar built by {@code mvn package}. */
    public static Path jar() {
        return Path.of(System.getProperty("kmirror.jar", "target/kmirror.jar")).toAbsolutePath();
    }

    /** The demo and benchmark jar built by {@code mvn package}. */
    public static Path demoJar() {
        return Path.of(System.getProperty("kmirror.demo.jar", "target/kmirror-demo.jar")).toAbsolutePath();
    }

    /** Starts the operator's jar with {@code args}, in {@code dir}. */
    public static KmirrorJar start(Path dir, String... args) throws IOException {
        return start(jar(), dir, args);
    }

    /** Starts {@code jar}, one built by {@code mvn package}, with {@code args}, in {@code dir}. */
    public static KmirrorJar start(Path jar, Path dir, String... args) throws IOException {
        return start(jar, List.of(), dir, args);
    }

    /** Starts {@code jar} in a JVM with {@code jvmOptions} (given before {@code -jar}), with {@code args}, in {@code dir}. */
    public static KmirrorJar start(Path jar, List<String> jvmOptions, Path dir, String... args) throws IOException {
        assertThat(jar).as("the shaded jar built by 'mvn package'").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("kmirror.out");
        Path err = dir.resolve("kmirror.err");
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new KmirrorJar(process, out, err);
    }

    public Process process() {
        return process;
    }

    /**
     * Waits for the process to exit by itself and returns its exit code; fails, showing its output and its threads'
     * stacks, if it does not.
     */
    public int awaitExit(Duration timeout) throws InterruptedException {
        return awaitExit(timeout, () -> "");
    }

    /** {@link #awaitExit(Duration)}, adding {@code diagnostics} (read only if it fails) to the failure message. */
    public int awaitExit(Duration timeout, Supplier<String> diagnostics) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            fail("kmirror did not exit within " + timeout + "; output:%n%s%n%s--- threads ---%n%s", output(), diagnostics.get(),
                    threadDump());
        }
        return process.exitValue();
    }

    /** The process's threads as {@code jcmd <pid> Thread.print} prints them, for failure messages. */
    private String threadDump() throws InterruptedException {
        try {
            // into a file: reading a pipe would wait for jcmd's end however long it hangs
            Path dump = Files.createTempFile("kmirror-threads-", ".txt");
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(process.pid()), "Thread.print").redirectErrorStream(true).redirectOutput(dump.toFile()).start();
            if (!jcmd.waitFor(30, TimeUnit.SECONDS)) {
                jcmd.destroyForcibly();
            }
            String threads = Files.readString(dump);
            Files.delete(dump);
            return threads;
        } catch (IOException e) {
            return "(jcmd failed: " + e + ")";
        }
    }

    /** Waits until stdout contains {@code text}; fails early if the process ended without printing it. */
    public void awaitStdout(String text) {
        await("'" + text + "' on stdout", () -> {
            if (stdout().contains(text)) {
                return true;
            }
            if (!process.isAlive()) {
                fail("kmirror exited with " + process.exitValue() + " before printing '" + text + "'; output:%n" + output());
            }
            return false;
        });
    }

    public String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    /** Both streams, for failure messages. */
    public String output() {
        return "--- stdout ---\n" + stdout() + "--- stderr ---\n" + stderr();
    }

    /** Polls a real condition every 50 ms for at most {@link #WAIT}. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + WAIT.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the process if a test left it running. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
