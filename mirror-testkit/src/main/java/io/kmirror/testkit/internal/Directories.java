package io.kmirror.testkit.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Deletes a directory tree. */
public final class Directories {

    private Directories() {
    }

    /**
     * Deletes {@code directory} and everything in it; does nothing if it does not exist.
     *
     * @param directory the directory
     * @throws IOException if something could not be deleted
     */
    public static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
