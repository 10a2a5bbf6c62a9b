package io.kmirror.testkit.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.StringJoiner;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Records as a person reads them in a failure message: {@code key="key-7" value="value-412-qk…" (100 bytes)
 * headers=[seq="412"] timestamp=1764441210000}. Bytes that are printable UTF-8 are shown as quoted
 * text, others as hex; long ones are cut.
 */
public final class RecordText {

    private static final int MAX_CHARS = 40;

    private RecordText() {
    }

    /**
     * Returns key, value, headers and, if asked, the timestamp of a record.
     *
     * @param record the record
     * @param withTimestamp whether to show the timestamp
     * @return the text
     */
    public static String of(ConsumerRecord<byte[], byte[]> record, boolean withTimestamp) {
        return "key=" + bytes(record.key()) + " " + valueAndHeaders(record)
                + (withTimestamp ? " timestamp=" + record.timestamp() : "");
    }

    /**
     * Returns value and headers of a record.
     *
     * @param record the record
     * @return the text
     */
    public static String valueAndHeaders(ConsumerRecord<byte[], byte[]> record) {
        StringJoiner headers = new StringJoiner(", ", "[", "]");
        for (Header header : record.headers()) {
            headers.add(header.key() + "=" + bytes(header.value()));
        }
        return "value=" + bytes(record.value()) + " headers=" + headers;
    }

    /**
     * Returns bytes as quoted text if they are printable UTF-8, else as {@code 0x...}; cut after 40
     * characters, with the length in bytes; {@code null} for null.
     *
     * @param bytes the bytes, or null
     * @return the text
     */
    public static String bytes(byte[] bytes) {
        if (bytes == null) {
            return "null";
        }
        String text = printableUtf8(bytes);
        String shown;
        if (text != null) {
            shown = "\"" + (text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) + "…" : text) + "\"";
        } else {
            String hex = HexFormat.of().formatHex(bytes);
            shown = "0x" + (hex.length() > MAX_CHARS ? hex.substring(0, MAX_CHARS) + "…" : hex);
        }
        return bytes.length > MAX_CHARS ? shown + " (" + bytes.length + " bytes)" : shown;
    }

    private static String printableUtf8(byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || c == '"') {
                return null;
            }
        }
        return text;
    }
}
