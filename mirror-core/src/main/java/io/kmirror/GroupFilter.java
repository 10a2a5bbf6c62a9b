package io.kmirror;

import io.kmirror.internal.filter.RegexGroupFilter;

/**
 * Decides which consumer groups of the source have their committed offsets translated and copied to
 * the destination ({@link MirrorBuilder#syncGroupOffsets(GroupFilter)}).
 *
 * <p>Whatever the filter says, the mirror's own group and the group that holds its exactly-once
 * offsets are never synced. Regexes are Java regexes matched against the whole group id; one that does
 * not compile is reported by {@link MirrorBuilder#build()}.
 *
 * <pre>{@code
 * GroupFilter.include("orders-.*").exclude("orders-audit")
 * }</pre>
 *
 * <p>A custom filter is any implementation of {@link #matches}; it must be thread-safe and cheap.
 */
@FunctionalInterface
public interface GroupFilter {

    /** Whether the committed offsets of {@code groupId} should be synced. */
    boolean matches(String groupId);

    /** A filter that additionally rejects groups whose whole id matches {@code regex}. */
    default GroupFilter exclude(String regex) {
        return RegexGroupFilter.from(this).exclude(regex);
    }

    /** Groups whose whole id matches the Java regex {@code regex}. */
    static GroupFilter include(String regex) {
        return RegexGroupFilter.including(regex);
    }

    /** Every group. */
    static GroupFilter all() {
        return include(".*");
    }
}
