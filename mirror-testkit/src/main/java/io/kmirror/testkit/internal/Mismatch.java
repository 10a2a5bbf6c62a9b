package io.kmirror.testkit.internal;

import java.util.Objects;

/**
 * Why an assertion does not hold, as a message a person reads first; with the exception behind it, if
 * any. A fatal mismatch cannot go away by waiting (a mirror that FAILED): retrying stops at once.
 *
 * @param message the failure message
 * @param cause the exception behind it, or null
 * @param fatal whether retrying is pointless
 */
public record Mismatch(String message, Throwable cause, boolean fatal) {

    /**
     * @param message the failure message, not null
     * @param cause the exception behind it, or null
     * @param fatal whether retrying is pointless
     */
    public Mismatch {
        Objects.requireNonNull(message, "message must not be null");
    }

    /**
     * Returns a mismatch that may go away by waiting.
     *
     * @param message the failure message
     * @return the mismatch
     */
    public static Mismatch of(String message) {
        return new Mismatch(message, null, false);
    }

    /**
     * Returns a mismatch that cannot go away by waiting.
     *
     * @param message the failure message
     * @param cause the exception behind it, or null
     * @return the mismatch
     */
    public static Mismatch fatal(String message, Throwable cause) {
        return new Mismatch(message, cause, true);
    }
}
