package io.kmirror;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import javax.annotation.Nullable;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The provenance header kmirror adds to every record it writes (unless {@code loopPrevention(false)}):
 * header {@value #HEADER}, whose value lists the ids of the clusters the record has been written to,
 * origin first, separated by commas (UTF-8), e.g. {@code "Mq73gpXkTpueAFiRs2T_7A,BomSiu6WRkOQ6OQKEghe1g"}.
 * A mirror never sends a record to a cluster already in that list, which is what lets two mirrors copy
 * the same topic names both ways (A→B and B→A) without looping. Headers the application set are kept
 * unchanged and in order; kmirror's header comes after them.
 *
 * <p>Consumers use {@link #origin(Headers)} to tell local writes (no header) from mirrored ones.
 */
public final class Provenance {

    /** The header's key. */
    public static final String HEADER = "__kmirror.origin";

    private Provenance() {
    }

    /**
     * The id of the cluster a mirrored record was first written to; empty for a record written by an
     * application to this cluster (or mirrored without loop prevention).
     */
    public static Optional<String> origin(Headers headers) {
        List<String> clusters = clusters(headers);
        return clusters.isEmpty() ? Optional.empty() : Optional.of(clusters.get(0));
    }

    /** The ids of the clusters a record has been written to, origin first; empty when it has no provenance header. */
    public static List<String> clusters(Headers headers) {
        String value = value(headers.lastHeader(HEADER));
        return value == null || value.isEmpty() ? List.of() : List.of(value.split(","));
    }

    @Nullable
    private static String value(@Nullable Header header) {
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
