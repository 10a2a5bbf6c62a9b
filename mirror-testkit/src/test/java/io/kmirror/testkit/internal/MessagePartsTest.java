package io.kmirror.testkit.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class MessagePartsTest {

    @Test
    void offsetRanges_joinRuns_andCutAfterFiveRanges() {
        assertThat(OffsetRanges.of(List.of(414L, 412L, 413L))).isEqualTo("412–414");
        assertThat(OffsetRanges.named(List.of(5L))).isEqualTo("offset 5");
        assertThat(OffsetRanges.named(List.of(1L, 2L, 7L))).isEqualTo("offsets 1–2, 7");
        assertThat(OffsetRanges.of(List.of(1L, 3L, 5L, 7L, 9L, 11L, 12L, 13L))).isEqualTo("1, 3, 5, 7, 9, … (3 more)");
    }

    @Test
    void recordText_showsPrintableTextQuoted_otherBytesAsHex_andCutsLongOnes() {
        assertThat(RecordText.bytes("key-7".getBytes(UTF_8))).isEqualTo("\"key-7\"");
        assertThat(RecordText.bytes(null)).isEqualTo("null");
        assertThat(RecordText.bytes(new byte[] {0, 1, (byte) 0xff})).isEqualTo("0x0001ff");
        assertThat(RecordText.bytes("say \"hi\"".getBytes(UTF_8))).isEqualTo("0x7361792022686922");
        assertThat(RecordText.bytes("x".repeat(50).getBytes(UTF_8))).isEqualTo("\"" + "x".repeat(40) + "…\" (50 bytes)");

        RecordHeaders headers = new RecordHeaders();
        headers.add("seq", "3".getBytes(UTF_8));
        headers.add("empty", null);
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("t", 0, 9, 1234L, TimestampType.CREATE_TIME, 1, 1,
                "k".getBytes(UTF_8), "v".getBytes(UTF_8), headers, Optional.empty());
        assertThat(RecordText.of(record, true)).isEqualTo("key=\"k\" value=\"v\" headers=[seq=\"3\", empty=null] timestamp=1234");
        assertThat(RecordText.of(record, false)).isEqualTo("key=\"k\" value=\"v\" headers=[seq=\"3\", empty=null]");
    }

    @Test
    void recordContent_comparesBytes_headersInOrder_andTheTimestampOnlyIfAsked() {
        ConsumerRecord<byte[], byte[]> a = record(1L, "h1", "h2");
        ConsumerRecord<byte[], byte[]> sameButLater = record(2L, "h1", "h2");
        ConsumerRecord<byte[], byte[]> headersSwapped = record(1L, "h2", "h1");

        assertThat(RecordContent.of(a, false)).isEqualTo(RecordContent.of(sameButLater, false));
        assertThat(RecordContent.of(a, true)).isNotEqualTo(RecordContent.of(sameButLater, true));
        assertThat(RecordContent.of(a, false)).isNotEqualTo(RecordContent.of(headersSwapped, false));
    }

    private static ConsumerRecord<byte[], byte[]> record(long timestamp, String... headerKeys) {
        RecordHeaders headers = new RecordHeaders();
        for (String key : headerKeys) {
            headers.add(key, key.getBytes(UTF_8));
        }
        return new ConsumerRecord<>("t", 0, 0, timestamp, TimestampType.CREATE_TIME, 1, 1,
                "k".getBytes(UTF_8), "v".getBytes(UTF_8), headers, Optional.empty());
    }
}
