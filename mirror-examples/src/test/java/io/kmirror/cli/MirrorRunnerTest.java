package io.kmirror.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.ConfigProblem;
import io.kmirror.Mirror;
import io.kmirror.MirrorConfigException;
import io.kmirror.MirrorMetrics;
import io.kmirror.MirrorState;
import io.kmirror.TopicFilter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Exit codes and what is printed, with a mirror whose lifecycle the test drives. */
class MirrorRunnerTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final MirrorRunner runner = new MirrorRunner(new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8),
            0, Duration.ofSeconds(30));
    private final FakeMirror mirror = new FakeMirror();

    @Test
    void mirrorFailure_exits1_sayingWhyAndWhereItWillResume() throws Exception {
        mirror.failOnStart = new IllegalStateException("destination refused a record of testtopic-3 at offset 17");

        assertThat(runner.run(setup())).isEqualTo(ExitCode.MIRROR_FAILED);

        assertThat(stderr()).isEqualTo("kmirror: the mirror failed: destination refused a record of testtopic-3 at offset 17\n"
                + "Offsets were committed only for records the destination acknowledged: the next start resumes there.\n");
    }

    @Test
    void configurationProblemFoundAtStart_exits2_inCommandLineWords() throws Exception {
        mirror.failOnStart = new MirrorConfigException(ConfigProblem.of("topicNaming", "identity()",
                "source and destination are the same cluster (cluster id abc) and destination topics get the source"
                        + " topics' names: every record would be mirrored onto itself in an endless loop",
                "use another destination or topicNaming(TopicNaming.prefix(\"...\"))"));

        assertThat(runner.run(setup())).isEqualTo(ExitCode.BAD_INPUT);

        assertThat(stderr()).isEqualTo("kmirror: --producer.config producer.properties: source and destination are the"
                + " same cluster (cluster id abc) and destination topics get the source topics' names: every record would"
                + " be mirrored onto itself in an endless loop; use another destination cluster or --topic-prefix PREFIX\n");
    }

    @Test
    void stopWhenCaughtUp_exits0_onceCaughtUp() throws Exception {
        mirror.caughtUp = true;

        assertThat(runner.run(setup("--stop-when-caught-up"))).isEqualTo(ExitCode.OK);

        assertThat(mirror.state()).isEqualTo(MirrorState.STOPPED);
        assertThat(stdout()).contains("Caught up: every partition is mirrored up to the end it had at start.\nStopped after 0:0");
        assertThat(stderr()).isEmpty();
    }

    @Test
    void signal_stopsTheMirrorGracefully_andTheMainThreadReturnsTheSameCode() throws Exception {
        CompletableFuture<Integer> main = runUntilRunning(setup());
        runner.onPartitionsAssigned(List.of(new TopicPartition("testtopic", 0)));

        assertThat(runner.stopOnSignal()).isEqualTo(ExitCode.OK);

        assertThat(main.get(30, TimeUnit.SECONDS)).isEqualTo(ExitCode.OK);
        assertThat(mirror.closedWith).isEqualTo(Duration.ofMillis(1_000));
        assertThat(stdout()).contains("Running: 1 stream(s) joined group kmirror; mirroring.\n",
                "Stopping: draining in-flight records and committing their offsets (at most 1,000 ms)...\n",
                "records mirrored (0.0 MB); offsets committed to group kmirror.\n").doesNotContain("Note:");
    }

    @Test
    void signal_whenTheMirrorDoesNotStopInTime_exits1() throws Exception {
        mirror.stopsInTime = false;
        CompletableFuture<Integer> main = runUntilRunning(setup());

        assertThat(runner.stopOnSignal()).isEqualTo(ExitCode.MIRROR_FAILED);

        assertThat(stderr()).isEqualTo("kmirror: the mirror did not stop within --shutdown.timeout.ms=1000; records still in"
                + " flight were not committed and will be mirrored again at the next start.\n");
        mirror.stopsInTime = true;
        mirror.close(); // it stops late after all: the main thread returns the code already decided
        assertThat(main.get(30, TimeUnit.SECONDS)).isEqualTo(ExitCode.MIRROR_FAILED);
    }

    @Test
    void stopWithoutAnyPartitionAssigned_notesThatNoTopicMatched() throws Exception {
        mirror.caughtUp = true;
        assertThat(runner.run(setup("--stop-when-caught-up"))).isEqualTo(ExitCode.OK);
        assertThat(stdout()).contains("Note: no source topic matching --whitelist testtopic was assigned to this mirror;");
    }

    /** Runs the runner on another thread, as the CLI's main thread, and returns once the mirror is running. */
    private CompletableFuture<Integer> runUntilRunning(MirrorSetup setup) {
        CompletableFuture<Integer> main = CompletableFuture.supplyAsync(() -> {
            try {
                return runner.run(setup);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        KmirrorJar.await("the mirror started", () -> mirror.state() == MirrorState.RUNNING);
        return main;
    }

    private MirrorSetup setup(String... extra) throws UsageException {
        List<String> args = new ArrayList<>(List.of("--whitelist", "testtopic", "--shutdown.timeout.ms", "1000"));
        args.addAll(List.of(extra));
        return new MirrorSetup(mirror, CommandLineParser.parse(args.toArray(String[]::new)),
                new ConfigFile("--consumer.config", Path.of("consumer.properties"), Map.of()),
                new ConfigFile("--producer.config", Path.of("producer.properties"), Map.of()),
                Mirror.builder().source(Map.of("bootstrap.servers", "localhost:1"))
                        .destination(Map.of("bootstrap.servers", "localhost:2")).topics(TopicFilter.include("t"))
                        .effectiveConfigs(), "kmirror", "default");
    }

    private String stdout() {
        return out.toString(UTF_8);
    }

    private String stderr() {
        return err.toString(UTF_8);
    }

    /** A mirror that tells the runner (its listener) about states as a real one does; its metrics are an idle real mirror's. */
    private final class FakeMirror implements Mirror {
        private final Mirror idle = Mirror.builder().source(Map.of("bootstrap.servers", "localhost:1"))
                .destination(Map.of("bootstrap.servers", "localhost:2")).topics(TopicFilter.include("t")).build();
        volatile MirrorState state = MirrorState.CREATED;
        volatile Throwable failure;
        volatile Throwable failOnStart;
        volatile boolean caughtUp;
        volatile boolean stopsInTime = true;
        volatile Duration closedWith;

        @Override
        public void start() {
            move(MirrorState.STARTING);
            if (failOnStart != null) {
                failure = failOnStart;
                move(MirrorState.STOPPING);
                move(MirrorState.FAILED);
            } else {
                move(MirrorState.RUNNING);
            }
        }

        @Override
        public MirrorState state() {
            return state;
        }

        @Override
        public Optional<Throwable> failure() {
            return Optional.ofNullable(failure);
        }

        @Override
        public boolean awaitCaughtUp(Duration timeout) {
            return caughtUp;
        }

        @Override
        public MirrorMetrics metrics() {
            return idle.metrics();
        }

        @Override
        public boolean close(Duration timeout) {
            closedWith = timeout;
            if (!stopsInTime) {
                return false;
            }
            if (!state.isTerminal()) {
                move(MirrorState.STOPPING);
                move(MirrorState.STOPPED);
            }
            return true;
        }

        @Override
        public void close() {
            close(Duration.ofSeconds(30));
        }

        private void move(MirrorState to) {
            MirrorState from = state;
            state = to;
            runner.onStateChange(from, to);
        }
    }
}
