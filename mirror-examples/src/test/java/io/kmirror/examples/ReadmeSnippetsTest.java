package io.kmirror.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** README.md's examples are the code of the compiled examples ({@link EmbeddingExample} is run by the ITs). */
class ReadmeSnippetsTest {

    @Test
    void readmeEmbeddingExample_isTheCompiledExample() throws IOException {
        assertReadmeShows("EmbeddingExample", "embedding");
    }

    @Test
    void readmeHealthExample_isTheCompiledExample() throws IOException {
        assertReadmeShows("HealthAlertsExample", "health");
    }

    @Test
    void readmeSecuredExample_isTheCompiledExample() throws IOException {
        assertReadmeShows("SecuredMirrorExample", "secured");
    }

    @Test
    void readmeFailoverExamples_areTheCompiledExample() throws IOException {
        assertReadmeShows("FailoverExample", "sync-groups");
        assertReadmeShows("FailoverExample", "translate");
    }

    /** README.md shows the region between {@code // snippet:start name} and {@code // snippet:end name} of the example, unindented. */
    private static void assertReadmeShows(String example, String name) throws IOException {
        String source = Files.readString(Path.of("src/main/java/io/kmirror/examples/" + example + ".java"));
        String snippet = region(source, "// snippet:start " + name, "// snippet:end " + name);
        String readme = Files.readString(Path.of("../README.md"));
        assertThat(readme).as("README.md shows " + example + "'s snippet, unindented").contains(snippet);
    }

    @Test
    void readmeTwoRegionsExample_isTheCompiledExample() throws IOException {
        String source = Files.readString(Path.of("src/main/java/io/kmirror/examples/TwoRegionsExample.java"));
        String snippet = region(source, "// snippet:start two-regions", "// snippet:end two-regions");
        assertThat(Files.readString(Path.of("../README.md"))).as("README.md shows TwoRegionsExample's snippet, unindented")
                .contains(snippet);
    }

    @Test
    void readmeSteeringExamples_areTheCompiledExample() throws IOException {
        String source = Files.readString(Path.of("src/main/java/io/kmirror/examples/SteeringExample.java"));
        String readme = Files.readString(Path.of("../README.md"));
        assertThat(readme).as("README.md shows SteeringExample's snippets, unindented")
                .contains(region(source, "// snippet:start start-from", "// snippet:end start-from"))
                .contains(region(source, "// snippet:start steering", "// snippet:end steering"));
    }

    private static String region(String text, String start, String end) {
        int from = text.indexOf(start);
        int to = text.indexOf(end);
        assertThat(from).as(start).isNotNegative();
        assertThat(to).as(end).isGreaterThan(from);
        String body = text.substring(text.indexOf('\n', from) + 1, text.lastIndexOf('\n', to));
        int indent = Arrays.stream(body.split("\n")).filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return Arrays.stream(body.split("\n")).map(l -> l.length() >= indent ? l.substring(indent) : l.strip())
                .collect(Collectors.joining("\n"));
    }
}
