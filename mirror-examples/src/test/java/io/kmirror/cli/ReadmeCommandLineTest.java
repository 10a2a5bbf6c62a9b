package io.kmirror.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** README.md's command-line reference is what --help prints: the options are defined once, in Arguments. */
class ReadmeCommandLineTest {

    @Test
    void readmeReference_isTheHelpOutput() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        assertThat(readme).as("README.md shows 'java -jar kmirror.jar --help' verbatim; regenerate it after changing an option")
                .contains("```\n" + CommandLineParser.usage() + "```\n");
    }

    @Test
    void readmeFailoverSection_showsTheOffsetsHelpOutput() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        assertThat(readme).as("README.md shows 'java -jar kmirror.jar offsets --help' verbatim; regenerate it after changing"
                + " an option").contains("```\n" + CommandLineParser.offsetsUsage() + "```\n");
    }
}
