package io.kmirror.cli;

import java.util.List;

/**
 * Bad arguments or configuration, found before anything started: exit code 2. Each problem is one
 * message naming the option or file and what to do; a problem may end with indented lines to copy
 * (e.g. the {@code bootstrap.servers=} line to add).
 */
final class UsageException extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    UsageException(List<String> problems) {
        super(String.join("\n", problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a UsageException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    UsageException(String problem) {
        this(List.of(problem));
    }

    List<String> problems() {
        return problems;
    }

    /** What stderr shows: the problem(s), then that nothing started and where help is. */
    String render() {
        return render("Nothing was started. 'java -jar kmirror.jar --help' lists every option.");
    }

    /** What stderr shows: the problem(s), then {@code closing} (what was not done, where help is). */
    String render(String closing) {
        StringBuilder s = new StringBuilder("kmirror: ");
        if (problems.size() == 1) {
            s.append(problems.get(0)).append('\n');
        } else {
            s.append(problems.size()).append(" problems:\n");
            problems.forEach(p -> s.append("  - ").append(p.replace("\n", "\n    ")).append('\n'));
        }
        return s.append(closing).toString();
    }
}
