package io.kmirror.internal;

import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnsupportedForMessageFormatException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Sorts the failures Kafka clients report into what the mirror does about them. Each test looks at the
 * exception and its causes, since clients and admin results wrap the broker's error.
 */
public final class Faults {

    private Faults() {
    }

    /**
     * The destination refused this one record for good (too large, invalid, timestamp out of range):
     * what {@code SendFailurePolicy} decides about. Anything else that makes a send fail for good is
     * cluster-wide.
     */
    public static boolean isRecordRefusal(Throwable e) {
        return has(e, RecordTooLargeException.class) || has(e, RecordBatchTooLargeException.class)
                || has(e, InvalidRecordException.class) || has(e, InvalidTimestampException.class);
    }

    /**
     * Retrying cannot help: authentication failed, a permission is missing, or the cluster does not support
     * what the mirror asks. Fails the mirror under every policy.
     */
    public static boolean isFatal(Throwable e) {
        return has(e, AuthenticationException.class) || has(e, AuthorizationException.class)
                || has(e, UnsupportedVersionException.class) || has(e, UnsupportedForMessageFormatException.class);
    }

    /**
     * Another producer with the same transactional id took over: another mirror instance owns the partition
     * now. Only this means "fenced": {@code InvalidProducerEpochException} also means that the coordinator
     * aborted a transaction older than {@code transaction.timeout.ms} (KIP-588), which is retried.
     */
    public static boolean isFence(Throwable e) {
        return has(e, ProducerFencedException.class);
    }

    /** A fault that may pass by itself: a retriable Kafka error or a timeout. */
    public static boolean isTransient(Throwable e) {
        return !isFatal(e) && (has(e, RetriableException.class) || has(e, TimeoutException.class)
                || has(e, org.apache.kafka.common.errors.TimeoutException.class));
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
