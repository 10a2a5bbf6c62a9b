package io.kmirror.internal;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeoutException;
import javax.annotation.Nullable;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnsupportedForMessageFormatException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.protocol.Errors;

/**
 * Sorts the failures Kafka clients report into what the mirror does about them. Each test looks at the
 * exception and its causes, since clients and admin results wrap the broker's error.
 */
public final class Faults {

    /** The errors a broker answers with when it refuses a login or an operation. */
    private static final List<Errors> REFUSALS = Arrays.stream(Errors.values())
            .filter(error -> error.exception() instanceof AuthenticationException || error.exception() instanceof AuthorizationException)
            .toList();

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
        return refusal(e) != null || has(e, UnsupportedVersionException.class) || has(e, UnsupportedForMessageFormatException.class);
    }

    /**
     * The failed authentication or missing permission in {@code e} or its causes, or null. Also one that a
     * client reports only in words: a transactional producer turns a refused offset commit into
     * {@code KafkaException("Unexpected error in TxnOffsetCommitResponse: Topic authorization failed.")}, which is
     * returned as the {@code TopicAuthorizationException} it stands for, with that message.
     */
    @Nullable
    public static ApiException refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
                return (ApiException) t;
            }
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (Errors error : REFUSALS) {
                if (t.getMessage() != null && t.getMessage().endsWith(": " + error.message())) {
                    return error.exception(t.getMessage());
                }
            }
        }
        return null;
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

    /** The messages of {@code e} and its causes, each once, joined by {@code ": "}. */
    public static String messages(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (text.indexOf(message) < 0) {
                text.append(text.length() == 0 ? "" : ": ").append(message);
            }
        }
        return text.toString();
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
