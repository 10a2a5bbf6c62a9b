package io.kmirror.internal.filter;

import io.kmirror.ConfigProblem;
import io.kmirror.TopicFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * Include and exclude regexes, plus optionally a custom base filter treated as one more include.
 * Immutable. A regex that does not compile is kept as a {@link #problems() problem} so that the
 * builder can report it with every other one.
 */
public final class RegexTopicFilter implements TopicFilter {

    /** Matches nothing. */
    public static final RegexTopicFilter NONE = new RegexTopicFilter(null, List.of(), List.of());

    private final TopicFilter base;
    private final List<String> includes;
    private final List<String> excludes;
    private final List<Pattern> includePatterns = new ArrayList<>();
    private final List<Pattern> excludePatterns = new ArrayList<>();
    private final List<ConfigProblem> problems = new ArrayList<>();

    private RegexTopicFilter(TopicFilter base, List<String> includes, List<String> excludes) {
        this.base = base;
        this.includes = List.copyOf(includes);
        this.excludes = List.copyOf(excludes);
        compileAll(this.includes, includePatterns, "include");
        compileAll(this.excludes, excludePatterns, "exclude");
    }

    /** {@code filter} itself when it is a regex filter, else a regex filter that includes what it matches. */
    public static RegexTopicFilter from(TopicFilter filter) {
        Objects.requireNonNull(filter, "filter");
        return filter instanceof RegexTopicFilter regex ? regex : new RegexTopicFilter(filter, List.of(), List.of());
    }

    /** This filter, also accepting topics that match {@code regex}. */
    public RegexTopicFilter include(String regex) {
        Objects.requireNonNull(regex, "regex");
        return new RegexTopicFilter(base, append(includes, regex), excludes);
    }

    /** This filter, rejecting topics that match {@code regex}. */
    @Override
    public RegexTopicFilter exclude(String regex) {
        Objects.requireNonNull(regex, "regex");
        return new RegexTopicFilter(base, includes, append(excludes, regex));
    }

    /** MirrorMaker 1's whitelist syntax to a plain Java regex: {@code ,} means "or", spaces and quotes go. */
    public static String whitelistToRegex(String whitelist) {
        Objects.requireNonNull(whitelist, "whitelist");
        return whitelist.trim()
                .replace(',', '|')
                .replace(" ", "")
                .replaceAll("^[\"']+", "")
                .replaceAll("[\"']+$", "");
    }

    /** One problem per regex that does not compile, naming it; empty when all compile. */
    public List<ConfigProblem> problems() {
        return List.copyOf(problems);
    }

    @Override
    public boolean matches(String topic) {
        if (!problems.isEmpty()) {
            throw new IllegalStateException("topic filter is invalid: "
                    + problems.stream().map(ConfigProblem::message).collect(Collectors.joining("; ")));
        }
        boolean included = (base != null && base.matches(topic))
                || includePatterns.stream().anyMatch(p -> p.matcher(topic).matches());
        return included && excludePatterns.stream().noneMatch(p -> p.matcher(topic).matches());
    }

    private void compileAll(List<String> regexes, List<Pattern> into, String kind) {
        for (String regex : regexes) {
            try {
                into.add(Pattern.compile(regex));
            } catch (PatternSyntaxException e) {
                problems.add(ConfigProblem.of("topics", regex, kind + " regex '" + regex + "' does not compile: "
                        + e.getDescription() + " near index " + e.getIndex(),
                        "fix the regex (Java syntax, matched against the whole topic name)"));
            }
        }
    }

    private static List<String> append(List<String> list, String item) {
        List<String> copy = new ArrayList<>(list);
        copy.add(item);
        return copy;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (base != null) {
            s.append(base);
        }
        if (!includes.isEmpty()) {
            s.append(s.length() == 0 ? "" : " or ").append("include(")
                    .append(includes.stream().map(r -> "\"" + r + "\"").collect(Collectors.joining(", "))).append(')');
        }
        if (!excludes.isEmpty()) {
            s.append(" exclude(")
                    .append(excludes.stream().map(r -> "\"" + r + "\"").collect(Collectors.joining(", "))).append(')');
        }
        return s.length() == 0 ? "none" : s.toString();
    }
}
