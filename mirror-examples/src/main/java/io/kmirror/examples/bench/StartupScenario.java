package io.kmirror.examples.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The startup runs: {@code java -jar kmirror.jar} (the slim command-line jar, as a user starts it) is
 * started against a source topic that keeps receiving records ({@value #RATE} a second), and timed from
 * the moment its process is started to the first record on the destination. Variants: the plain
 * command, and with a class-data sharing archive that one training run wrote at its exit
 * ({@code -XX:ArchiveClassesAtExit}, Java 13+), used with {@code -XX:SharedArchiveFile}; with
 * {@code --startup-jdk}, that JDK plain and with an ahead-of-time cache a training run wrote
 * ({@code -XX:AOTCacheOutput}, Java 25+), used with {@code -XX:AOTCache}. The same variants start the
 * benchmark's bare consumer-to-producer loop ({@link BaselineContender}, with a destination topic made before
 * its clock starts): the floor any Kafka client program started the same way has on this machine. With
 * {@code --startup-mirrormaker2}, MirrorMaker 2 in dedicated mode is started too, plain, with cluster aliases of
 * its own per run (so a fresh state, as a new MirrorMaker 2 has) and replication factors of 1, its other settings the
 * defaults; and with its plugins found through their service manifests instead of a scan of the class path.
 */
final class StartupScenario {

    static final String TOPIC = "startup";
    static final int RATE = 100;
    /** Stand for MirrorMaker 2's aliases of the clusters in a {@link Variant}'s settings (new aliases each run). */
    private static final String SOURCE_ALIAS = "<source>";
    private static final String DESTINATION_ALIAS = "<destination>";
    private static final Duration FIRST_RECORD_TIMEOUT = Duration.ofSeconds(60);
    private static final long POLL_MILLIS = 10;

    /** What a run starts: {@code java -jar kmirror.jar}, the bare loop or MirrorMaker 2; {@code label} begins its variants' names. */
    enum Program {
        KMIRROR("java -jar kmirror.jar"), LOOP("bare loop"), MIRRORMAKER2("MirrorMaker 2");

        final String label;

        Program(String label) {
            this.label = label;
        }

        /** Where this program's training run writes an archive or cache with {@code extension}. */
        Path trained(Path logs, String extension) {
            return logs.resolve(name().toLowerCase(Locale.ROOT) + extension);
        }
    }

    /** A training run that writes {@code file} at its exit. */
    private record Training(Variant variant, Path file) {
    }

    /**
     * A way of starting {@code program}: with the {@code java} launcher {@code java}, with {@code jvmOptions}, and for
     * MirrorMaker 2 with {@code settings} ({@code key = value} lines) added to its configuration.
     */
    record Variant(String name, Program program, Path java, List<String> jvmOptions, List<String> settings) {
        Variant(String name, Program program, Path java, List<String> jvmOptions) {
            this(name, program, java, jvmOptions, List.of());
        }
    }

    /** One run's figures: wall time and the process's CPU time from its start to the first mirrored record. */
    record Figures(String variant, double firstRecordSeconds, double cpuSeconds) {
        /** As results-file fields. */
        Map<String, Object> json(int repetition) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("variant", variant);
            json.put("repetition", repetition);
            json.put("firstRecordSeconds", firstRecordSeconds);
            json.put("cpuSeconds", cpuSeconds);
            return json;
        }
    }

    private final BenchSetup setup;
    private final Path jar;
    private int failures;

    StartupScenario(BenchSetup setup, Path jar) {
        this.setup = setup;
        this.jar = jar;
    }

    /** The slim kmirror.jar beside this program's jar (or in the build's target directory); null if absent. */
    static Path findJar() {
        String classPath = ContenderProcess.classPath();
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            Path dir = Path.of(entry).toAbsolutePath().getParent(); // a jar's directory, or target/ above target/classes
            if (dir != null && Files.isRegularFile(dir.resolve("kmirror.jar"))) {
                return dir.resolve("kmirror.jar");
            }
        }
        return null;
    }

    /** Runs every variant {@code repetitions} times, interleaved; returns the figures per variant. */
    Map<String, List<Figures>> run() throws InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<Variant> variants = new ArrayList<>();
        List<Training> trainings = new ArrayList<>();
        for (Program program : List.of(Program.KMIRROR, Program.LOOP)) {
            String what = program.label;
            Path archive = program.trained(setup.logs(), ".jsa");
            trainings.add(new Training(new Variant(what + ", training run (-XX:ArchiveClassesAtExit)", program, java,
                    List.of("-XX:ArchiveClassesAtExit=" + archive)), archive));
            variants.add(new Variant(what, program, java, List.of()));
            variants.add(new Variant(what + " with CDS archive", program, java, List.of("-XX:SharedArchiveFile=" + archive)));
            if (program == Program.KMIRROR) {
                variants.add(new Variant(what + " with CDS archive, C1 only", program, java,
                        List.of("-XX:SharedArchiveFile=" + archive, "-XX:TieredStopAtLevel=1")));
            }
        }
        Path otherJdk = setup.options().startupJdk();
        if (otherJdk != null) {
            Path otherJava = otherJdk.resolve("bin").resolve("java");
            String version = javaVersion(otherJava);
            for (Program program : List.of(Program.KMIRROR, Program.LOOP)) {
                String what = program.label;
                Path aotCache = program.trained(setup.logs(), ".aot");
                trainings.add(new Training(new Variant(version + ", " + what + ", training run (-XX:AOTCacheOutput)", program,
                        otherJava, List.of("-XX:AOTCacheOutput=" + aotCache)), aotCache));
                variants.add(new Variant(version + ", " + what, program, otherJava, List.of()));
                variants.add(new Variant(version + ", " + what + " with AOT cache", program, otherJava,
                        List.of("-XX:AOTCache=" + aotCache)));
            }
        }
        if (setup.options().startupMirrorMaker2() != null) {
            variants.add(new Variant(Program.MIRRORMAKER2.label, Program.MIRRORMAKER2, java, List.of()));
            // what MirrorMaker 2 recommends in a WARN at every start: its plugins found without scanning the class path,
            // set for itself and for the worker of each cluster, which take only their cluster's settings
            variants.add(new Variant(Program.MIRRORMAKER2.label + " with plugin.discovery=service_load", Program.MIRRORMAKER2, java,
                    List.of(), List.of("plugin.discovery = service_load", DESTINATION_ALIAS + ".plugin.discovery = service_load",
                            SOURCE_ALIAS + ".plugin.discovery = service_load")));
        }
        Map<String, List<Figures>> figures = new LinkedHashMap<>();
        variants.forEach(v -> figures.put(v.name(), new ArrayList<>()));
        Thread feeder = new Thread(this::feed, "bench-startup-feed");
        feeder.setDaemon(true);
        feeder.start();
        try {
            for (Training training : trainings) {
                report(runOnce(training.variant()));
                if (!Files.isRegularFile(training.file())) {
                    setup.out().println("  nothing was written at " + training.file() + "; the variants that use it run without it");
                }
            }
            for (int rep = 1; rep <= setup.options().repetitions(); rep++) {
                for (Variant variant : variants) {
                    try {
                        Figures f = runOnce(variant);
                        figures.get(variant.name()).add(f);
                        report(f);
                        setup.results().append("startup", "run", f.json(rep));
                    } catch (RuntimeException e) {
                        failures++;
                        setup.out().println("  " + variant.name() + " failed: " + e.getMessage());
                    }
                }
            }
        } finally {
            feeder.interrupt();
        }
        return figures;
    }

    /** The name of the bare loop's variant started the same way as the variant named {@code name}. */
    static String loopVariantOf(String name) {
        if (name.startsWith(Program.MIRRORMAKER2.label)) {
            return Program.LOOP.label; // MirrorMaker 2 runs plain only
        }
        return name.replace(Program.KMIRROR.label, Program.LOOP.label);
    }

    /** Runs that failed. */
    int failures() {
        return failures;
    }

    private void report(Figures f) {
        setup.out().println(String.format(java.util.Locale.ROOT, "  %-45s first record %.2f s, CPU %.2f s", f.variant(),
                f.firstRecordSeconds(), f.cpuSeconds()));
    }

    private Figures runOnce(Variant variant) throws InterruptedException {
        int run = setup.nextRun();
        String prefix = "run" + run + ".";
        Path logs = setup.logs();
        Path consumer = logs.resolve("run" + run + "-consumer.properties");
        Path producer = logs.resolve("run" + run + "-producer.properties");
        List<String> command = new ArrayList<>();
        command.add(variant.java().toString());
        command.addAll(variant.jvmOptions());
        if (variant.program() == Program.KMIRROR) {
            command.addAll(List.of("-jar", jar.toString(), "--consumer.config", consumer.toString(), "--producer.config",
                    producer.toString(), "--whitelist", TOPIC, "--topic-prefix", prefix));
        } else if (variant.program() == Program.MIRRORMAKER2) {
            Path properties = logs.resolve("run" + run + "-mm2.properties");
            writeMirrorMaker2Properties(properties, "run" + run, variant.settings());
            command.addAll(List.of("-cp", setup.options().startupMirrorMaker2().resolve("*").toString(),
                    "org.apache.kafka.connect.mirror.MirrorMaker", properties.toString()));
        } else {
            setup.destination().createTopic(prefix + TOPIC, 1);
            command.addAll(List.of("-cp", ContenderProcess.classPath(), BaselineContender.class.getName(),
                    "--" + ContenderArgs.SOURCE, setup.source().bootstrapServers(),
                    "--" + ContenderArgs.DESTINATION, setup.destination().bootstrapServers(),
                    "--" + ContenderArgs.TOPIC, TOPIC, "--" + ContenderArgs.GROUP, "bench-run" + run, "--" + ContenderArgs.PREFIX, prefix));
        }
        Process process;
        try {
            Files.writeString(consumer, "bootstrap.servers=" + setup.source().bootstrapServers() + "\ngroup.id=bench-run" + run + "\n");
            Files.writeString(producer, "bootstrap.servers=" + setup.destination().bootstrapServers() + "\n");
            Files.writeString(logs.resolve("run" + run + "-startup.cmd"), String.join(" ", command) + System.lineSeparator());
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(logs.resolve("run" + run + "-startup.out").toFile())
                    .redirectError(logs.resolve("run" + run + "-startup.err").toFile());
            long start = System.nanoTime();
            process = builder.start();
            try {
                long deadline = start + FIRST_RECORD_TIMEOUT.toNanos();
                while (Topics.endOffsetSum(setup.destination(), prefix + TOPIC) == 0) {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(variant.name() + " exited " + process.exitValue() + " before mirroring a record; see "
                                + logs.resolve("run" + run + "-startup.err"));
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("no record mirrored within " + FIRST_RECORD_TIMEOUT);
                    }
                    Thread.sleep(POLL_MILLIS);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                return new Figures(variant.name(), seconds, cpuSeconds(process.pid()));
            } finally {
                process.destroy(); // SIGTERM: the program stops and exits (and writes a requested archive)
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
                Topics.delete(setup.destination(), List.of(prefix + TOPIC));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + variant.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * MirrorMaker 2's dedicated-mode configuration: the source under the alias {@code alias} (so it writes
     * {@code <alias>.}{@value #TOPIC}, the destination topic the run waits for) and the destination under
     * {@code <alias>dest}, one flow, replication factors of 1, and {@code settings} (with the aliases put in).
     */
    private void writeMirrorMaker2Properties(Path file, String alias, List<String> settings) {
        String destination = alias + "dest";
        List<String> lines = new ArrayList<>(List.of(
                "clusters = " + alias + ", " + destination,
                alias + ".bootstrap.servers = " + setup.source().bootstrapServers(),
                destination + ".bootstrap.servers = " + setup.destination().bootstrapServers(),
                alias + "->" + destination + ".enabled = true",
                alias + "->" + destination + ".topics = " + TOPIC,
                destination + "->" + alias + ".enabled = false"));
        for (String key : List.of("replication.factor", "checkpoints.topic.replication.factor", "heartbeats.topic.replication.factor",
                "offset-syncs.topic.replication.factor", "offset.storage.replication.factor", "status.storage.replication.factor",
                "config.storage.replication.factor")) {
            lines.add(key + " = 1");
        }
        settings.forEach(line -> lines.add(line.replace(SOURCE_ALIAS, alias).replace(DESTINATION_ALIAS, destination)));
        try {
            Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** What {@code java -version} says of itself, shortened: "Java 25.0.1"; "other JDK" if it cannot be read. */
    private static String javaVersion(Path launcher) {
        try {
            Process process = new ProcessBuilder(launcher.toString(), "-version").redirectErrorStream(true).start();
            String text = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            process.waitFor(30, TimeUnit.SECONDS);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("version \"([^\"]+)\"").matcher(text);
            return m.find() ? "Java " + m.group(1) : "other JDK";
        } catch (IOException e) {
            return "other JDK";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "other JDK";
        }
    }

    /** User and system CPU of process {@code pid} so far, from {@code /proc/<pid>/stat} (in clock ticks of 1/100 s); NaN elsewhere. */
    private static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Writes {@value #RATE} small records a second to {@value #TOPIC} until interrupted. */
    private void feed() {
        try (KafkaProducer<byte[], byte[]> producer = Workload.producer(setup.source(), Map.of("linger.ms", 0))) {
            long seq = 0;
            while (!Thread.currentThread().isInterrupted()) {
                producer.send(new ProducerRecord<>(TOPIC, ("key-" + seq % 10).getBytes(), ("value-" + seq).getBytes()));
                seq++;
                Thread.sleep(1000 / RATE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
