package io.kmirror.testkit.internal;

import org.assertj.core.api.WritableAssertionInfo;

/** Turns a {@link Mismatch} into the {@link AssertionError} an assertion throws. */
public final class AssertionErrors {

    private AssertionErrors() {
    }

    /**
     * Returns an error whose message is the mismatch's (or the assertion's overriding message),
     * preceded by the assertion's description in brackets as AssertJ does, and whose cause is the
     * mismatch's cause.
     *
     * @param info the assertion's description and overriding message
     * @param mismatch why the assertion does not hold
     * @return the error to throw
     */
    public static AssertionError of(WritableAssertionInfo info, Mismatch mismatch) {
        String description = info.descriptionText();
        String prefix = description == null || description.isEmpty() ? "" : "[" + description + "] ";
        String message = info.overridingErrorMessage() != null ? info.overridingErrorMessage() : mismatch.message();
        return new AssertionError(prefix + message, mismatch.cause());
    }
}
