package io.kmirror.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CommandLineParserTest {

    private static final String[] WALKTHROUGH = {"--consumer.config", "consumer.properties", "--producer.config",
        "producer.properties", "--whitelist", "testtopic", "--num.streams", "4"};

    @Test
    void walkthroughArguments_areMirrorMakersOptions() throws UsageException {
        Arguments a = CommandLineParser.parse(WALKTHROUGH);
        assertThat(a.consumerConfig).isEqualTo(Path.of("consumer.properties"));
        assertThat(a.producerConfig).isEqualTo(Path.of("producer.properties"));
        assertThat(a.whitelist).isEqualTo("testtopic");
        assertThat(a.numStreams).isEqualTo(4);
    }

    @Test
    void defaults_areDocumentedOnes() throws UsageException {
        Arguments a = CommandLineParser.parse(new String[] {"--whitelist", "t"});
        assertThat(a.numStreams).isEqualTo(1);
        assertThat(a.offsetCommitIntervalMs).isEqualTo(5000);
        assertThat(a.abortOnSendFailure).isTrue();
        assertThat(a.shutdownTimeoutMs).isEqualTo(30000);
        assertThat(a.stopWhenCaughtUp).isFalse();
        assertThat(a.exactlyOnce).isFalse();
        assertThat(CommandLineParser.usage()).contains("--num.streams=N", "(default: 1)", "30000)",
                "Exit codes: 0", "1 the mirror failed", "2 bad arguments or configuration");
    }

    @Test
    void include_isWhitelistsNewerName_andValuesMayFollowAnEqualsSign() throws UsageException {
        assertThat(CommandLineParser.parse(new String[] {"--include", "a,b.*"}).whitelist).isEqualTo("a,b.*");
        assertThat(CommandLineParser.parse(new String[] {"--whitelist=a", "--num.streams=3"}).numStreams).isEqualTo(3);
    }

    @Test
    void whitelistAndInclude_together_areOneOptionGivenTwice() {
        assertThatThrownBy(() -> CommandLineParser.parse(new String[] {"--whitelist", "a", "--include", "b"}))
                .hasMessage("--whitelist and --include are one option (--include is MirrorMaker's newer name); give it once,"
                        + " with a regex where ',' means 'or', e.g. --whitelist 'orders,payments.*'");
    }

    @ParameterizedTest
    @CsvSource({"true,true", "false,false", "FALSE,false"})
    void abortOnSendFailure_takesTrueOrFalse(String value, boolean expected) throws UsageException {
        assertThat(CommandLineParser.parse(new String[] {"--abort.on.send.failure", value}).abortOnSendFailure)
                .isEqualTo(expected);
    }

    @Test
    void abortOnSendFailure_otherValues_areRejected() {
        assertThatThrownBy(() -> CommandLineParser.parse(new String[] {"--abort.on.send.failure", "maybe"}))
                .isInstanceOf(UsageException.class).hasMessageContaining("'maybe' is not a boolean");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--blacklist=internal.*|--blacklist worked only with MirrorMaker's old ZooKeeper-based consumer, which Kafka has dropped;"
                + " use --exclude REGEX together with --whitelist REGEX, e.g. --whitelist '.*' --exclude 'internal.*'",
        "--consumer.rebalance.listener|--consumer.rebalance.listener is not supported: kmirror commits what the destination"
                + " acknowledged on every rebalance itself; remove it",
        "--rebalance.listener.args|--rebalance.listener.args is not supported"})
    void droppedMirrorMakerOptions_sayWhatToDoInstead(String option, String message) {
        String[] args = {"--consumer.config", "c", "--producer.config", "p", "--whitelist", "t", option, "x"};
        assertThatThrownBy(() -> CommandLineParser.parse(args)).isInstanceOf(UsageException.class)
                .hasMessageStartingWith(message);
    }

    @ParameterizedTest
    @CsvSource({
        "--whitelst,--whitelist",
        "--consumer-config,--consumer.config",
        "--num-streams=4,--num.streams",
        "-whitelist,--whitelist",
        "--stop-when-caughtup,--stop-when-caught-up"})
    void unknownOption_namesTheNearestKnownOne(String typed, String nearest) {
        assertThatThrownBy(() -> CommandLineParser.parse(new String[] {"--whitelist", "t", typed, "x"}))
                .isInstanceOf(UsageException.class)
                .hasMessage("unknown option '" + typed.split("=")[0] + "'; did you mean " + nearest + "?");
    }

    @Test
    void unknownOption_farFromEveryKnownOne_hasNoSuggestion() {
        assertThatThrownBy(() -> CommandLineParser.parse(new String[] {"--frobnicate"}))
                .hasMessage("unknown option '--frobnicate'");
    }

    @Test
    void strayValue_isNamed() {
        assertThatThrownBy(() -> CommandLineParser.parse(new String[] {"--whitelist", "t", "testtopic2"}))
                .hasMessage("unexpected argument 'testtopic2': every value follows its option, e.g. --whitelist testtopic"
                        + " (the commands are offsets, demo and bench)");
    }

    @Test
    void wrongType_andMissingValue_areNamed() {
        assertThatThrownBy(() -> CommandLineParser.parse(new String[] {"--num.streams", "four"}))
                .hasMessageContaining("--num.streams").hasMessageContaining("'four' is not an int");
        assertThatThrownBy(() -> CommandLineParser.parse(new String[] {"--whitelist"}))
                .hasMessageContaining("Missing required parameter for option '--whitelist'");
    }

    @Test
    void newConsumer_isAccepted() throws UsageException {
        assertThat(CommandLineParser.parse(new String[] {"--whitelist", "t", "--new.consumer"}).newConsumer).isTrue();
        assertThat(CommandLineParser.usage()).as("a dropped option is not advertised").doesNotContain("new.consumer");
    }

    @Test
    void demoAndBench_areCommands_whoseArgumentsArePassedOnUnread() throws UsageException {
        Arguments demo = CommandLineParser.parse(new String[] {"demo", "--records", "10", "--help", "--blacklist"});
        assertThat(demo.program.name()).isEqualTo("demo");
        assertThat(demo.program.args).containsExactly("--records", "10", "--help", "--blacklist");
        assertThat(CommandLineParser.parse(new String[] {"bench"}).program.args).isEmpty();
        assertThat(CommandLineParser.usage()).contains("Commands:", "  demo ", "  bench ", "kmirror-demo.jar");
    }

    @Test
    void helpAndVersion_areRecognized() throws UsageException {
        assertThat(CommandLineParser.parse(new String[] {"--help"}).help).isTrue();
        assertThat(CommandLineParser.parse(new String[] {"--version"}).version).isTrue();
        assertThat(CommandLineParser.version()).startsWith("kmirror ");
    }
}
