package io.kmirror.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.Option;

class CommonCaseParserTest {

    /** Every option of the mirror, given and defaulted, as picocli reads it: the common-case parser reads it the same. */
    @ParameterizedTest
    @ValueSource(strings = {
        "--consumer.config c.properties --producer.config p.properties --whitelist testtopic",
        "--consumer.config=c.properties --producer.config=p.properties --include=a,b.* --exclude internal.*",
        "--whitelist t --num.streams 4 --offset.commit.interval.ms 1000 --abort.on.send.failure false",
        "--whitelist t --abort.on.send.failure=TRUE --on-send-failure skip --on-gap record-and-continue",
        "--whitelist t --loop-prevention false --start-from 2026-12-01T08:00:00Z --throttle.bytes.per.sec 1000000",
        "--whitelist t --message.handler io.kmirror.examples.DropEmptyValues --message.handler.args x=y",
        "--whitelist t --group g --topic-prefix east. --sync-group-offsets app.* --stop-when-caught-up --exactly-once --transaction.slots 16",
        "--whitelist t --shutdown.timeout.ms 1 --log-level INFO --new.consumer --metrics.port 0",
        "--whitelist t --group="
    })
    void readsWhatPicocliReads(String line) throws Exception {
        String[] args = line.split(" ");
        Arguments common = CommonCaseParser.parse(args);
        assertThat(common).as("read by the common-case parser").isNotNull();
        assertThat(options(common)).isEqualTo(options(CommandLineParser.parseWithPicocli(args)));
    }

    /** What picocli answers with its own message or its own meaning is left to it. */
    @ParameterizedTest
    @ValueSource(strings = {
        "--whitelist a --include b",          // one option twice: picocli's message
        "--whitelist t --num.streams x",      // not a number
        "--whitelist t --num.streams",        // no value
        "--whitelist t --unknown 1",          // picocli suggests the nearest
        "--whitelist t --topic-prefix -x",    // a value that looks like an option
        "--whitelist t --stop-when-caught-up=true",
        "--whitelist t --abort.on.send.failure yes",
        "--whitelist @args.txt",              // picocli expands @files
        "--help",
        "--version",
        "offsets --group g",
        "demo",
        "testtopic"
    })
    void leavesTheRestToPicocli(String line) {
        assertThat(CommonCaseParser.parse(line.split(" "))).isNull();
    }

    private static Map<String, Object> options(Arguments arguments) throws IllegalAccessException {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Field field : Arguments.class.getDeclaredFields()) {
            if (field.getAnnotation(Option.class) != null) {
                values.put(field.getName(), Objects.toString(field.get(arguments)));
            }
        }
        return values;
    }
}
