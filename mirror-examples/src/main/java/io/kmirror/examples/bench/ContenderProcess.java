package io.kmirror.examples.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * A contender's JVM: {@code java} of this JVM's {@code java.home}, this program's class path, the
 * contender's heap limit. Its stdout goes to {@code <log>.out} (and is watched for
 * {@link ContenderIo}'s lines), its stderr to {@code <log>.err}.
 */
final class ContenderProcess implements AutoCloseable {

    private final Process process;
    private final String label;
    private final Path err;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();

    private ContenderProcess(Process process, String label, Path out, Path err) {
        this.process = process;
        this.label = label;
        this.err = err;
        Thread reader = new Thread(() -> readStdout(out), "bench-" + label + "-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code mainClass} with {@code args} in a JVM with {@code jvmOptions}; logs go to {@code logs/<label>.out|.err}. */
    static ContenderProcess start(String label, String mainClass, List<String> args, List<String> jvmOptions, Path logs) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath(), mainClass));
        command.addAll(args);
        Path out = logs.resolve(label + ".out");
        Path err = logs.resolve(label + ".err");
        try {
            Files.writeString(out, String.join(" ", command) + System.lineSeparator());
            Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
            return new ContenderProcess(process, label, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + label + ": " + e.getMessage(), e);
        }
    }

    /**
     * This program's class path for the contenders: the jar holding this class when the jar also
     * holds kafka-clients (the shaded {@code kmirror-demo.jar}), else {@code java.class.path} (a build or a test).
     */
    static String classPath() {
        Path own = location(ContenderProcess.class.getProtectionDomain().getCodeSource());
        Path kafka = location(KafkaProducer.class.getProtectionDomain().getCodeSource());
        if (own != null && own.equals(kafka) && Files.isRegularFile(own)) {
            return own.toString();
        }
        return System.getProperty("java.class.path");
    }

    private static Path location(CodeSource source) {
        try {
            return source == null ? null : Path.of(source.getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** The operating system's process id. */
    long pid() {
        return process.pid();
    }

    /** Waits for the {@link ContenderIo#READY} line. */
    void awaitReady(Duration timeout) throws InterruptedException {
        await(ready, timeout, "ready");
    }

    /** Asks the contender to stop: closes its stdin. */
    void stop() {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
    }

    /** Waits for the result line and for the JVM to exit 0; returns the result's fields. */
    Map<String, Object> awaitResult(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> fields = await(result, timeout, "its result reported");
        long left = Math.max(1, deadline - System.nanoTime());
        if (!process.waitFor(Math.max(left, TimeUnit.SECONDS.toNanos(30)), TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException(label + " reported but did not exit" + errTail());
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(label + " exited " + process.exitValue() + errTail());
        }
        return fields;
    }

    private <T> T await(CompletableFuture<T> future, Duration timeout, String what) throws InterruptedException {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(label + " did not get " + what + " within " + timeout + errTail());
        } catch (ExecutionException e) {
            process.waitFor(5, TimeUnit.SECONDS);
            String exit = process.isAlive() ? "" : " (exit " + process.exitValue() + ")";
            throw new IllegalStateException(label + " ended without getting " + what + exit + errTail());
        }
    }

    private void readStdout(Path out) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             BufferedWriter log = Files.newBufferedWriter(out, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND)) {
            String line;
            while ((line = reader.readLine()) != null) {
                log.write(line);
                log.newLine();
                if (line.equals(ContenderIo.READY)) {
                    ready.complete(null);
                } else if (line.startsWith(ContenderIo.RESULT)) {
                    result.complete(JsonLine.parse(line.substring(ContenderIo.RESULT.length())));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            EndOfStream eos = new EndOfStream();
            ready.completeExceptionally(eos);
            result.completeExceptionally(eos);
        }
    }

    private String errTail() {
        try {
            List<String> lines = Files.readAllLines(err);
            List<String> tail = lines.subList(Math.max(0, lines.size() - 15), lines.size());
            return "; stderr (" + err + "):" + System.lineSeparator() + String.join(System.lineSeparator(), tail);
        } catch (IOException e) {
            return "; see " + err;
        }
    }

    /** Kills the JVM if it is still running. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The contender's stdout ended. */
    private static final class EndOfStream extends Exception {
        EndOfStream() {
            super("stdout closed", null, false, false);
        }
    }
}
