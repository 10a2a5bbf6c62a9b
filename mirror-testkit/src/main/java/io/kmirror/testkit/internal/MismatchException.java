package io.kmirror.testkit.internal;

/**
 * Carries a {@link Mismatch} out of a helper that found it half-way (a topic that does not exist, a
 * read that failed); {@link Eventually} turns it back into the attempt's result.
 */
public final class MismatchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The mismatch carried. */
    private final transient Mismatch mismatch;

    /**
     * @param mismatch the mismatch to carry
     */
    public MismatchException(Mismatch mismatch) {
        super(mismatch.message(), mismatch.cause(), false, false);
        this.mismatch = mismatch;
    }

    /**
     * Returns the mismatch carried.
     *
     * @return the mismatch
     */
    public Mismatch mismatch() {
        return mismatch;
    }
}
