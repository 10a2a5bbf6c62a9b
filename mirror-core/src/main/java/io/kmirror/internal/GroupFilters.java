package io.kmirror.internal;

import io.kmirror.ConfigProblem;
import io.kmirror.GroupFilter;
import io.kmirror.internal.filter.RegexGroupFilter;
import java.util.List;

/** Checks group filters for {@code build()}. */
final class GroupFilters {

    private GroupFilters() {
    }

    /** The regexes of {@code filter} that do not compile; none for a custom filter. */
    static List<ConfigProblem> problems(GroupFilter filter) {
        return filter instanceof RegexGroupFilter regexes ? regexes.problems() : List.of();
    }
}
