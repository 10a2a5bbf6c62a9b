package io.kmirror.internal.produce;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.Provenance;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class ProvenanceStampTest {

    private static ConsumerRecord<byte[], byte[]> record(String... headers) {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("orders", 0, 7, "k".getBytes(StandardCharsets.UTF_8),
                "v".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < headers.length; i += 2) {
            record.headers().add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    private static List<String> keys(ConsumerRecord<byte[], byte[]> record) {
        return java.util.stream.StreamSupport.stream(record.headers().spliterator(), false).map(Header::key).toList();
    }

    @Test
    void anApplicationsRecord_getsSourceThenDestination_afterItsOwnHeaders() {
        ConsumerRecord<byte[], byte[]> stamped = new ProvenanceStamp("A", "B").stamp(record("trace", "1", "tenant", "x"));
        assertThat(keys(stamped)).containsExactly("trace", "tenant", Provenance.HEADER);
        assertThat(Provenance.clusters(stamped.headers())).containsExactly("A", "B");
        assertThat(Provenance.origin(stamped.headers())).contains("A");
    }

    @Test
    void aRecordOnItsWayOn_isExtended_andOneThatWasAtTheDestination_isNotSentBack() {
        ConsumerRecord<byte[], byte[]> fromA = new ProvenanceStamp("A", "B").stamp(record("trace", "1"));
        ConsumerRecord<byte[], byte[]> toC = new ProvenanceStamp("B", "C").stamp(fromA);
        assertThat(Provenance.clusters(toC.headers())).containsExactly("A", "B", "C");
        assertThat(keys(toC)).containsExactly("trace", Provenance.HEADER);
        assertThat(new ProvenanceStamp("C", "A").stamp(toC)).as("back to where it was written first").isNull();
        assertThat(new ProvenanceStamp("B", "A").stamp(new ProvenanceStamp("A", "B").stamp(record()))).isNull();
    }

    @Test
    void readOnlyHeadersFromATransformer_areCopied() {
        ConsumerRecord<byte[], byte[]> original = record("trace", "1");
        ((RecordHeaders) original.headers()).setReadOnly();
        ConsumerRecord<byte[], byte[]> stamped = new ProvenanceStamp("A", "B").stamp(original);
        assertThat(keys(stamped)).containsExactly("trace", Provenance.HEADER);
        assertThat(keys(original)).containsExactly("trace");
    }

    @Test
    void noHeader_meansALocalWrite() {
        assertThat(Provenance.origin(record("trace", "1").headers())).isEmpty();
    }
}
