package io.kmirror.testkit;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Unique topic names, so that tests sharing a cluster do not see each other's records.
 */
public final class Topics {

    private static final Pattern LEGAL_PREFIX = Pattern.compile("[a-zA-Z0-9._-]{1,200}");
    private static final AtomicLong COUNTER = new AtomicLong();

    private Topics() {
    }

    /**
     * Returns {@code <prefix>-<counter>-<random>}, e.g. {@code orders-7-k3x9qa}: a legal topic name that
     * no other call in this JVM returns (the counter) and that is unlikely in a cluster that outlives the
     * JVM (the 6 random characters). Thread-safe.
     *
     * @param prefix 1 to 200 of the characters legal in a topic name: ASCII letters, digits, '.', '_', '-'
     * @return a new topic name
     * @throws IllegalArgumentException if the prefix is empty, too long or has another character
     */
    public static String unique(String prefix) {
        if (prefix == null || !LEGAL_PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("a topic name prefix must be 1 to 200 characters of"
                    + " [a-zA-Z0-9._-], was " + (prefix == null ? "null" : "'" + prefix + "'"));
        }
        StringBuilder name = new StringBuilder(prefix).append('-').append(COUNTER.incrementAndGet()).append('-');
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 6; i++) {
            name.append(Character.forDigit(random.nextInt(36), 36));
        }
        return name.toString();
    }
}
