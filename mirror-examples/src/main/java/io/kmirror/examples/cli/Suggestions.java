package io.kmirror.examples.cli;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** Finds the known word nearest to a mistyped one (Levenshtein distance), for "did you mean". */
final class Suggestions {

    private Suggestions() {
    }

    /**
     * The candidate nearest to {@code typed}, if it is near enough to be a likely typo: at most 2 edits,
     * or a third of the typed length for long words.
     */
    static Optional<String> nearest(String typed, Collection<String> candidates) {
        int allowed = Math.max(2, typed.length() / 3);
        return candidates.stream()
                .filter(c -> distance(typed, c) <= allowed)
                .min(Comparator.<String>comparingInt(c -> distance(typed, c)).thenComparing(Comparator.naturalOrder()));
    }

    /** The Levenshtein distance: insertions, deletions and substitutions to turn {@code a} into {@code b}. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
