package io.kmirror.internal.produce;

import io.kmirror.Provenance;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Adds the destination cluster to a record's {@link Provenance} header, or says that the record must not
 * be sent because it was written to the destination cluster before (a loop). For the common case, a
 * record an application wrote to the source (no header), the header is one shared, precomputed
 * instance: the cost is a scan of the record's headers and one list append.
 */
public final class ProvenanceStamp {

    private final String destinationClusterId;
    private final Header firstHop;

    /** Stamps records mirrored from {@code sourceClusterId} to {@code destinationClusterId}. */
    public ProvenanceStamp(String sourceClusterId, String destinationClusterId) {
        this.destinationClusterId = destinationClusterId;
        this.firstHop = header(sourceClusterId + "," + destinationClusterId);
    }

    /**
     * {@code record} with the destination added to its provenance (its own headers are changed in place: the
     * record is the stream's until it is sent), or null when it was written to the destination cluster
     * before and must not be sent there again.
     */
    @Nullable
    public ConsumerRecord<byte[], byte[]> stamp(ConsumerRecord<byte[], byte[]> record) {
        Header existing = record.headers().lastHeader(Provenance.HEADER);
        Header next;
        if (existing == null) {
            next = firstHop;
        } else {
            List<String> clusters = Provenance.clusters(record.headers());
            if (clusters.contains(destinationClusterId)) {
                return null;
            }
            next = header(String.join(",", clusters) + "," + destinationClusterId);
        }
        ConsumerRecord<byte[], byte[]> stamped = writable(record);
        if (existing != null) {
            stamped.headers().remove(Provenance.HEADER);
        }
        stamped.headers().add(next);
        return stamped;
    }

    /** {@code record}, or a copy with headers of its own when a transformer handed back read-only ones. */
    private static ConsumerRecord<byte[], byte[]> writable(ConsumerRecord<byte[], byte[]> record) {
        if (!(record.headers() instanceof RecordHeaders headers) || !headers.isReadOnly()) {
            return record;
        }
        return new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.timestampType(), record.serializedKeySize(), record.serializedValueSize(), record.key(),
                record.value(), new RecordHeaders(record.headers().toArray()), record.leaderEpoch());
    }

    private static Header header(@Nullable String value) {
        return new RecordHeader(Provenance.HEADER, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }
}
