package io.kmirror;

import org.apache.kafka.common.KafkaException;

/**
 * The mirror stopped because source records vanished before it copied them (see {@link GapPolicy#FAIL});
 * {@link Mirror#failure()} returns it. Nothing of the partition past the gap was copied or committed.
 */
public class GapException extends KafkaException {

    private static final long serialVersionUID = 1L;

    private final transient Gap gap;

    /** An exception for {@code gap}. */
    public GapException(Gap gap) {
        super(gap.description() + "; nothing past the gap was mirrored (onGap FAIL). To accept the loss and go on,"
                + " restart the mirror with onGap(GapPolicy.RECORD_AND_CONTINUE)");
        this.gap = gap;
    }

    /** The gap that stopped the mirror. */
    public Gap gap() {
        return gap;
    }
}
