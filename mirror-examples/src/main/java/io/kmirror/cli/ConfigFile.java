package io.kmirror.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A client configuration file, read as MirrorMaker read it: {@link Properties} syntax, every key kept
 * as it is written (Kafka's clients trim values and ignore keys they do not know).
 *
 * @param option the option that named the file, e.g. {@code --consumer.config}
 * @param path   the file as given on the command line
 * @param config its keys and values, sorted by key
 */
record ConfigFile(String option, Path path, Map<String, Object> config) {

    ConfigFile {
        config = Collections.unmodifiableMap(new TreeMap<>(config));
    }

    /**
     * Reads {@code path}.
     *
     * @throws UsageException naming the file when it is missing, a directory, unreadable or malformed
     */
    static ConfigFile load(String option, Path path) throws UsageException {
        String where = option + " " + path;
        if (Files.isDirectory(path)) {
            throw new UsageException(where + ": is a directory; give the properties file itself");
        }
        Properties properties = new Properties();
        // ISO-8859-1, as Properties.load(InputStream) and so MirrorMaker read it
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.ISO_8859_1)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new UsageException(where + ": no such file (looked for " + path.toAbsolutePath().normalize() + ")");
        } catch (AccessDeniedException e) {
            throw new UsageException(where + ": cannot read the file: permission denied");
        } catch (IOException e) {
            throw new UsageException(where + ": cannot read the file: " + e);
        } catch (IllegalArgumentException e) {
            throw new UsageException(where + ": not a valid properties file: " + e.getMessage());
        }
        Map<String, Object> config = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> config.put(key, properties.getProperty(key)));
        return new ConfigFile(option, path, config);
    }

    /** A key's value as written, or null. */
    String get(String key) {
        Object value = config.get(key);
        return value == null ? null : value.toString();
    }

    /** Whether the key is set to something other than blanks. */
    boolean has(String key) {
        String value = get(key);
        return value != null && !value.isBlank();
    }

    /** The option and the path: the keys stay out, since the file may hold secrets. */
    @Override
    public String toString() {
        return name();
    }

    /** How messages name the file: the option and the path as given. */
    String name() {
        return option + " " + path;
    }
}
