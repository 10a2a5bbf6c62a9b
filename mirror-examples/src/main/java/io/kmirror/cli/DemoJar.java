package io.kmirror.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Hands {@code demo} and {@code bench} over to {@value #FILE_NAME}, the jar that holds them with two
 * embedded Kafka clusters (which the operator's {@code kmirror.jar} does not carry): a child
 * {@code java -jar} of this JVM's {@code java}, its exit code passed on.
 */
final class DemoJar {

    /** The jar's file name; it lies next to {@code kmirror.jar} in a build ({@code mirror-examples/target}). */
    static final String FILE_NAME = "kmirror-demo.jar";

    private DemoJar() {
    }

    /**
     * Where {@value #FILE_NAME} should be: next to the jar this class was loaded from, or, run from a
     * build's class directory, next to that directory.
     */
    static Path expectedLocation() {
        try {
            Path own = Path.of(DemoJar.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
            return own.getParent().resolve(FILE_NAME);
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of(FILE_NAME).toAbsolutePath();
        }
    }

    /**
     * Runs {@code java -jar <jar> <program> <args>} and waits for it.
     *
     * @param jar       {@value #FILE_NAME}, usually {@link #expectedLocation()}
     * @param inheritIo whether the child uses this process's standard streams (the program's main); else
     *                  {@code in}, {@code out} and {@code err} are copied to and from it
     * @return the child's exit code, or 2 when the jar is not there (the message says where to find it)
     */
    static int run(Path jar, String program, List<String> args, boolean inheritIo, InputStream in, PrintStream out,
            PrintStream err) throws InterruptedException {
        if (!Files.isRegularFile(jar)) {
            err.println("kmirror: " + program + " lives in " + FILE_NAME + ", which is not next to this jar (looked for " + jar
                    + "). Build it with 'mvn -B package -DskipTests' (it is mirror-examples/target/" + FILE_NAME
                    + ") and run: java -jar " + FILE_NAME + " " + program + (args.isEmpty() ? "" : " " + String.join(" ", args)));
            return ExitCode.BAD_INPUT;
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), program));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        if (inheritIo) {
            builder.inheritIO();
        }
        Process child;
        try {
            child = builder.start();
        } catch (IOException e) {
            err.println("kmirror: cannot start " + String.join(" ", command) + ": " + e.getMessage());
            return ExitCode.MIRROR_FAILED;
        }
        if (inheritIo) {
            // a SIGTERM for this JVM alone stops the child too; Ctrl-C reaches both anyway
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(child), "kmirror-demo-jar-stop"));
        }
        List<Thread> outputs = new ArrayList<>();
        if (!inheritIo) {
            copy(in, child.getOutputStream(), true, "stdin");
            outputs.add(copy(child.getInputStream(), out, false, "stdout"));
            outputs.add(copy(child.getErrorStream(), err, false, "stderr"));
        }
        try {
            int code = child.waitFor();
            for (Thread output : outputs) {
                output.join(TimeUnit.SECONDS.toMillis(30));
            }
            out.flush();
            err.flush();
            return code;
        } finally {
            stop(child);
        }
    }

    private static void stop(Process child) {
        if (child.isAlive()) {
            child.destroy();
            try {
                child.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Thread copy(InputStream from, OutputStream to, boolean closeWhenDone, String name) {
        Thread copier = new Thread(() -> {
            try {
                from.transferTo(to);
                to.flush();
                if (closeWhenDone) {
                    to.close();
                }
            } catch (IOException e) {
                if (!closeWhenDone) {
                    throw new UncheckedIOException(e);
                }
            }
        }, "kmirror-demo-jar-" + name);
        copier.setDaemon(true);
        copier.start();
        return copier;
    }
}
