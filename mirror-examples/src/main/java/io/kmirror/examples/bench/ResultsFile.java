package io.kmirror.examples.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The results file: one JSON object per line, appended as each result comes, so runs on different
 * days (or code) can be compared. Every line has {@code time}, {@code session} (one per
 * {@code bench} invocation), {@code scenario}, {@code kind} ({@code run} or {@code median}), the
 * workload, and the figures.
 */
final class ResultsFile {

    private final Path path;
    private final String session = Instant.now().toString();
    private final Map<String, Object> workload;

    ResultsFile(Path path, Map<String, Object> workload) {
        this.path = path;
        this.workload = workload;
    }

    /** Where the lines go. */
    Path path() {
        return path;
    }

    /** Appends one line. */
    void append(String scenario, String kind, Map<String, Object> figures) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("session", session);
        line.put("scenario", scenario);
        line.put("kind", kind);
        line.putAll(figures);
        line.putAll(workload);
        line.put("cores", Runtime.getRuntime().availableProcessors());
        try {
            Files.writeString(path, JsonLine.write(line) + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results file " + path, e);
        }
    }
}
