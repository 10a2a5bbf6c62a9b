package io.kmirror.cli;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {

    @TempDir
    Path dir;

    @Test
    void readsPropertiesSyntax_asMirrorMakerDid_keepingEveryKey() throws Exception {
        Path file = write("producer.properties", """
                # the destination
                bootstrap.servers=localhost:9093
                compression.type = none
                ! another comment
                client.id: mirror-producer
                sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required \\
                    username="u" password="p";
                """);
        ConfigFile config = ConfigFile.load("--producer.config", file);
        assertThat(config.config()).containsOnlyKeys("bootstrap.servers", "compression.type", "client.id", "sasl.jaas.config");
        assertThat(config.get("compression.type")).isEqualTo("none");
        assertThat(config.get("client.id")).isEqualTo("mirror-producer");
        assertThat(config.get("sasl.jaas.config")).endsWith("required username=\"u\" password=\"p\";");
        assertThat(config.has("bootstrap.servers")).isTrue();
        assertThat(config.has("group.id")).isFalse();
        assertThat(config.name()).isEqualTo("--producer.config " + file);
    }

    @Test
    void missingFile_isNamedWithWhereItWasLookedFor() {
        Path missing = dir.resolve("consumer.properties");
        assertThatThrownBy(() -> ConfigFile.load("--consumer.config", missing))
                .isInstanceOf(UsageException.class)
                .hasMessage("--consumer.config " + missing + ": no such file (looked for " + missing.toAbsolutePath() + ")");
    }

    @Test
    void directory_isNotAFile() {
        assertThatThrownBy(() -> ConfigFile.load("--consumer.config", dir))
                .hasMessage("--consumer.config " + dir + ": is a directory; give the properties file itself");
    }

    @Test
    void malformedEscape_isNamed() throws IOException {
        Path file = write("bad.properties", "group.id=\\u12x4\n");
        assertThatThrownBy(() -> ConfigFile.load("--consumer.config", file))
                .hasMessageStartingWith("--consumer.config " + file + ": not a valid properties file: ");
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, ISO_8859_1);
    }
}
