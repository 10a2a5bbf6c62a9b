package io.kmirror.internal.filter;

import io.kmirror.ConfigProblem;
import io.kmirror.GroupFilter;
import java.util.List;

/** Include and exclude regexes over group ids: the regex filter of topic names, applied to groups. Immutable. */
public final class RegexGroupFilter implements GroupFilter {

    private final RegexTopicFilter regexes;

    private RegexGroupFilter(RegexTopicFilter regexes) {
        this.regexes = regexes;
    }

    /** Groups whose whole id matches {@code regex}. */
    public static RegexGroupFilter including(String regex) {
        return new RegexGroupFilter(RegexTopicFilter.NONE.include(regex));
    }

    /** {@code filter} itself when it is a regex filter, else a regex filter that includes what it matches. */
    public static RegexGroupFilter from(GroupFilter filter) {
        return filter instanceof RegexGroupFilter regex ? regex : new RegexGroupFilter(RegexTopicFilter.from(filter::matches));
    }

    @Override
    public boolean matches(String groupId) {
        return regexes.matches(groupId);
    }

    @Override
    public RegexGroupFilter exclude(String regex) {
        return new RegexGroupFilter(regexes.exclude(regex));
    }

    /** The regexes that do not compile, one problem each (setting {@code syncGroupOffsets}); empty when all do. */
    public List<ConfigProblem> problems() {
        return regexes.problems().stream().map(p -> new ConfigProblem("syncGroupOffsets", null, p.value(),
                p.message().replace("topic name", "group id"), p.fix().replace("topic name", "group id"))).toList();
    }

    @Override
    public String toString() {
        return regexes.toString();
    }
}
