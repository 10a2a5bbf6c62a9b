package io.kmirror;

import io.kmirror.internal.filter.RegexTopicFilter;

/**
 * Decides which source topics are mirrored.
 *
 * <p>Whatever the filter says, Kafka-internal topics ({@code __consumer_offsets},
 * {@code __transaction_state}, any name starting with {@code __}) and kmirror's own topics (which
 * start with {@code __kmirror}) are never mirrored. Topics that start to match while the mirror runs
 * are picked up within the mirror's {@link MirrorBuilder#topicRefreshInterval topic refresh
 * interval}.
 *
 * <p>Regexes are Java regexes matched against the whole topic name. A regex that does not compile is
 * reported by {@link MirrorBuilder#build()} together with every other configuration problem.
 *
 * <pre>{@code
 * TopicFilter.include("orders.*").exclude(".*-internal")
 * TopicFilter.whitelist("orders,payments")   // MirrorMaker 1's --whitelist syntax
 * }</pre>
 *
 * <p>A custom filter is any implementation of {@link #matches}; it must be thread-safe and cheap.
 */
@FunctionalInterface
public interface TopicFilter {

    /** Whether {@code topic} should be mirrored. */
    boolean matches(String topic);

    /** A filter that additionally rejects topics whose whole name matches {@code regex}. */
    default TopicFilter exclude(String regex) {
        return RegexTopicFilter.from(this).exclude(regex);
    }

    /** A filter that additionally accepts topics whose whole name matches {@code regex}. */
    default TopicFilter orInclude(String regex) {
        return RegexTopicFilter.from(this).include(regex);
    }

    /** Topics whose whole name matches the Java regex {@code regex}. */
    static TopicFilter include(String regex) {
        return RegexTopicFilter.NONE.include(regex);
    }

    /**
     * MirrorMaker 1's {@code --whitelist} syntax: a Java regex in which {@code ,} also means "or";
     * spaces and surrounding quotes are ignored. {@code "orders, payments.*"} mirrors {@code orders}
     * and every topic starting with {@code payments}.
     */
    static TopicFilter whitelist(String whitelist) {
        return include(RegexTopicFilter.whitelistToRegex(whitelist));
    }
}
