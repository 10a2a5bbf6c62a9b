package io.kmirror;

import java.util.Objects;
import java.util.Optional;
import javax.annotation.Nullable;
import org.apache.kafka.common.KafkaException;

/**
 * A cluster refused the mirror: authentication failed, or a permission (an ACL) is missing. Retrying
 * cannot help, so the mirror stops at once under every policy ({@link MirrorState#FAILED}, this as
 * {@link Mirror#failure()}); it never waits in a retry loop that would look like lag. The message names
 * the side, the principal the mirror used where its configuration says it, and what was denied, with
 * Kafka's own error as the cause. Secrets never appear in it.
 */
public final class ClusterAccessException extends KafkaException {

    private static final long serialVersionUID = 1L;

    /** Which of the mirror's clusters refused. */
    public enum Side {
        /** The cluster the mirror reads from ({@link MirrorBuilder#source}). */
        SOURCE,
        /** The cluster the mirror writes to ({@link MirrorBuilder#destination}). */
        DESTINATION;

        /** {@code source} or {@code destination}. */
        @Override
        public String toString() {
            return this == SOURCE ? "source" : "destination";
        }
    }

    private final Side side;
    private final String principal;
    private final String denied;

    /**
     * An exception for a refusal by one side.
     *
     * @param side      the cluster that refused
     * @param principal the principal the mirror used, e.g. {@code User:mirror}, or null when its configuration does not say
     * @param denied    what was denied, e.g. {@code authentication} or {@code WRITE on topic orders}
     * @param message   the whole message
     * @param cause     Kafka's error
     */
    public ClusterAccessException(Side side, @Nullable String principal, String denied, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.side = Objects.requireNonNull(side, "side");
        this.principal = principal;
        this.denied = Objects.requireNonNull(denied, "denied");
    }

    /**
     * The cluster that refused.
     *
     * @return the side
     */
    public Side side() {
        return side;
    }

    /**
     * The principal the mirror used on that cluster, as ACLs name it: {@code User:<name>} from the SASL
     * user of {@code sasl.jaas.config}, {@code User:<subject>} from the certificate of
     * {@code ssl.keystore.location}, {@code User:ANONYMOUS} without either.
     *
     * @return the principal, empty when the configuration does not say (e.g. Kerberos, OAuth)
     */
    public Optional<String> principal() {
        return Optional.ofNullable(principal);
    }

    /**
     * What was denied: {@code authentication}, or the operation with the resource it needs, e.g.
     * {@code WRITE on topic orders} or {@code READ on group mirrorgroup}.
     *
     * @return the denied operation
     */
    public String denied() {
        return denied;
    }
}
