package io.kmirror.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmirror.RecordTransformer;
import io.kmirror.examples.DropEmptyValues;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class MessageHandlerLoaderTest {

    /** A handler with a String constructor, as --message.handler.args needs. */
    public static final class AppendSuffix implements RecordTransformer {
        private final String suffix;

        public AppendSuffix(String suffix) {
            this.suffix = suffix;
        }

        @Override
        public ConsumerRecord<byte[], byte[]> transform(ConsumerRecord<byte[], byte[]> record) {
            return new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.key(),
                    (new String(record.value(), UTF_8) + suffix).getBytes(UTF_8));
        }
    }

    /** A handler whose constructor refuses its arguments. */
    public static final class Picky implements RecordTransformer {
        public Picky(String args) {
            throw new IllegalArgumentException("args must be a number, was " + args);
        }

        @Override
        public ConsumerRecord<byte[], byte[]> transform(ConsumerRecord<byte[], byte[]> record) {
            return record;
        }
    }

    @Test
    void exampleHandler_loadsByName_andDropsEmptyValuesOnly() throws UsageException {
        RecordTransformer handler = MessageHandlerLoader.load("io.kmirror.examples.DropEmptyValues", null);
        assertThat(handler).isInstanceOf(DropEmptyValues.class);
        assertThat(handler.transform(record(new byte[0]))).isNull();
        ConsumerRecord<byte[], byte[]> full = record("v".getBytes(UTF_8));
        assertThat(handler.transform(full)).isSameAs(full);
        ConsumerRecord<byte[], byte[]> tombstone = record(null);
        assertThat(handler.transform(tombstone)).as("tombstones pass").isSameAs(tombstone);
    }

    @Test
    void handlerArgs_goToTheStringConstructor() throws UsageException {
        RecordTransformer handler = MessageHandlerLoader.load(AppendSuffix.class.getName(), "-mirrored");
        assertThat(new String(handler.transform(record("v".getBytes(UTF_8))).value(), UTF_8)).isEqualTo("v-mirrored");
    }

    @Test
    void missingClass_isNamed_withHowToPutItOnTheClassPath() {
        assertThatThrownBy(() -> MessageHandlerLoader.load("com.example.NoSuchHandler", null))
                .isInstanceOf(UsageException.class)
                .hasMessage("--message.handler com.example.NoSuchHandler: no such class on the class path. A handler of your"
                        + " own goes next to kmirror.jar: java -cp kmirror.jar:your-handler.jar io.kmirror.cli.KmirrorMain ...");
    }

    @Test
    void classOfTheWrongType_isNamed() {
        assertThatThrownBy(() -> MessageHandlerLoader.load("java.lang.StringBuilder", null))
                .hasMessageStartingWith("--message.handler java.lang.StringBuilder: does not implement io.kmirror.RecordTransformer.");
    }

    @Test
    void missingConstructors_areNamed() {
        assertThatThrownBy(() -> MessageHandlerLoader.load(AppendSuffix.class.getName(), null))
                .hasMessageEndingWith(": has no public no-arg constructor (with --message.handler.args a public constructor"
                        + " taking one String is used)");
        assertThatThrownBy(() -> MessageHandlerLoader.load(DropEmptyValues.class.getName(), "x"))
                .hasMessageEndingWith(": has no public constructor taking one String, which --message.handler.args needs");
    }

    @Test
    void constructorFailure_isReported() {
        assertThatThrownBy(() -> MessageHandlerLoader.load(Picky.class.getName(), "abc"))
                .hasMessageEndingWith(": its constructor failed: java.lang.IllegalArgumentException: args must be a number, was abc");
    }

    @Test
    void abstractHandler_isRejected() {
        assertThatThrownBy(() -> MessageHandlerLoader.load(RecordTransformer.class.getName(), null))
                .hasMessage("--message.handler io.kmirror.RecordTransformer: is abstract; name a concrete class");
    }

    private static ConsumerRecord<byte[], byte[]> record(byte[] value) {
        return new ConsumerRecord<>("t", 0, 0, "k".getBytes(UTF_8), value);
    }
}
