package io.kmirror.it;

import io.kmirror.DeliveryGuarantee;
import io.kmirror.Mirror;
import io.kmirror.MirrorState;
import io.kmirror.TopicFilter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A mirror in a JVM of its own, so a test can kill it with SIGKILL. Prints {@code RUNNING} on stdout
 * once the mirror is running, then mirrors until killed.
 * Arguments: source bootstrap servers, destination bootstrap servers, topic regex, group id, and
 * optionally the delivery guarantee (default AT_LEAST_ONCE) and exactly-once's maxOpenTransactions (default 0).
 */
public final class MirrorProcess {

    private MirrorProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        Mirror mirror = Mirror.builder()
                .source(Map.of("bootstrap.servers", args[0], "session.timeout.ms", 6000, "heartbeat.interval.ms", 1000))
                .destination(Map.of("bootstrap.servers", args[1]))
                .topics(TopicFilter.include(args[2]))
                .groupId(args[3])
                .streams(2)
                .offsetCommitInterval(Duration.ofMillis(100))
                .guarantee(args.length > 4 ? DeliveryGuarantee.valueOf(args[4]) : DeliveryGuarantee.AT_LEAST_ONCE)
                .maxOpenTransactions(args.length > 5 ? Integer.parseInt(args[5]) : 0)
                .transactionSlots(args.length > 6 ? Integer.parseInt(args[6]) : 0)
                .build();
        mirror.start();
        while (mirror.state() != MirrorState.RUNNING) {
            if (mirror.state().isTerminal()) {
                System.out.println("FAILED " + mirror.failure().orElse(null));
                return;
            }
            Thread.sleep(10);
        }
        System.out.println("RUNNING");
        System.out.flush();
        while (!mirror.state().isTerminal()) {
            Thread.sleep(100);
        }
        System.out.println(mirror.state() + " " + mirror.failure().orElse(null));
    }

    /** Starts this program in a child JVM with the test's class path; its output goes to {@code log}. */
    static Process start(Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), MirrorProcess.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Sends {@code signal} (e.g. "STOP", "CONT") to {@code process}. */
    static void signal(Process process, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    /** Kills {@code process} with SIGKILL and waits until it is gone. */
    static void kill(Process process) throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("process " + process.pid() + " survived SIGKILL for 30 s");
        }
    }
}
