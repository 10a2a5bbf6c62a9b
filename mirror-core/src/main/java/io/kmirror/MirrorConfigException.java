package io.kmirror;

import java.util.List;
import org.apache.kafka.common.KafkaException;

/**
 * A mirror's configuration is invalid. The message lists every problem found, one line each, naming
 * the setting or key and what to do; {@link #problems()} gives the same lines as a list.
 */
public class MirrorConfigException extends KafkaException {

    private final List<String> problems;

    /** An exception for these problems (at least one). */
    public MirrorConfigException(List<String> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    /** An exception for one problem. */
    public MirrorConfigException(String problem) {
        this(List.of(problem));
    }

    /** Every problem found, one line each. */
    public List<String> problems() {
        return problems;
    }

    private static String message(List<String> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a MirrorConfigException needs at least one problem");
        }
        if (problems.size() == 1) {
            return "Invalid mirror configuration: " + problems.get(0);
        }
        StringBuilder s = new StringBuilder("Invalid mirror configuration (" + problems.size() + " problems):");
        for (String problem : problems) {
            s.append("\n  - ").append(problem);
        }
        return s.toString();
    }
}
