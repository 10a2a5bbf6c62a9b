package io.kmirror;

import java.util.Collection;
import java.util.List;
import org.apache.kafka.common.KafkaException;

/**
 * A mirror's configuration is invalid. {@link #configProblems()} gives every problem found, each with
 * the setting, key and value it is about, what is wrong and what to do; the message lists the same
 * problems, one line each ({@link ConfigProblem#toString()}).
 */
public class MirrorConfigException extends KafkaException {

    private static final long serialVersionUID = 1L;

    private final List<ConfigProblem> problems;

    /**
     * An exception for these problems.
     *
     * @param problems at least one
     * @throws IllegalArgumentException if {@code problems} is empty
     */
    public MirrorConfigException(Collection<ConfigProblem> problems) {
        super(message(List.copyOf(problems)));
        this.problems = List.copyOf(problems);
    }

    /**
     * An exception for one problem.
     *
     * @param problem the problem
     */
    public MirrorConfigException(ConfigProblem problem) {
        this(List.of(problem));
    }

    /**
     * An exception for problems given as lines of text.
     *
     * @param problems at least one line
     * @deprecated give {@link ConfigProblem}s: {@link #MirrorConfigException(Collection)}. Each line becomes a
     *     problem with an empty setting and the line as its message.
     */
    @Deprecated
    public MirrorConfigException(List<String> problems) {
        this(problems.stream().map(line -> new ConfigProblem("", null, null, line, "")).toList());
    }

    /**
     * An exception for one problem given as a line of text.
     *
     * @param problem the line
     * @deprecated give a {@link ConfigProblem}: {@link #MirrorConfigException(ConfigProblem)}.
     */
    @Deprecated
    public MirrorConfigException(String problem) {
        this(List.of(problem));
    }

    /**
     * Every problem found, in the order found.
     *
     * @return the problems, unmodifiable, never empty
     */
    public List<ConfigProblem> configProblems() {
        return problems;
    }

    /**
     * Every problem found, one line each.
     *
     * @return the lines, unmodifiable
     * @deprecated use {@link #configProblems()}, whose parts a tool can map to its own words; a problem's
     *     {@link ConfigProblem#toString()} is the line this returns.
     */
    @Deprecated
    public List<String> problems() {
        return problems.stream().map(ConfigProblem::toString).toList();
    }

    private static String message(List<ConfigProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a MirrorConfigException needs at least one problem");
        }
        if (problems.size() == 1) {
            return "Invalid mirror configuration: " + problems.get(0);
        }
        StringBuilder s = new StringBuilder("Invalid mirror configuration (" + problems.size() + " problems):");
        for (ConfigProblem problem : problems) {
            s.append("\n  - ").append(problem);
        }
        return s.toString();
    }
}
