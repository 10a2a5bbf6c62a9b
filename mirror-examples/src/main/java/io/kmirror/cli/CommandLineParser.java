package io.kmirror.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.OverwrittenOptionException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns the command line into {@link Arguments}, or into a {@link UsageException} that says what is
 * wrong: an option MirrorMaker 1 had that kmirror drops (with what to use instead), an unknown option
 * (with picocli's nearest known one), a value of the wrong type.
 */
final class CommandLineParser {

    /** MirrorMaker 1 options kmirror does not take, with what to do instead. */
    static final Map<String, String> DROPPED_OPTIONS = dropped();

    /** What {@code --new.consumer} gets: a warning, not a refusal (MirrorMaker 1 ignored it too). */
    static final String NEW_CONSUMER_WARNING = "kmirror: --new.consumer is ignored: it chose between MirrorMaker 1's old"
            + " ZooKeeper-based consumer and the new one, and the new one is the only one left; remove the option";

    private CommandLineParser() {
    }

    /** Parses {@code args}; the result may only ask for help, the version or a program of the demo jar. */
    static Arguments parse(String[] args) throws UsageException {
        rejectDroppedOptions(args);
        Arguments common = CommonCaseParser.parse(args);
        return common != null ? common : parseWithPicocli(args);
    }

    /** {@link #parse} without the common-case parser's shortcut. */
    static Arguments parseWithPicocli(String[] args) throws UsageException {
        Arguments arguments = new Arguments();
        try {
            ParseResult result = commandLine(arguments).parseArgs(args);
            if (result.subcommand() != null) {
                Object command = result.subcommand().commandSpec().userObject();
                if (!result.matchedOptions().isEmpty()) {
                    throw new UsageException("options before '" + result.subcommand().commandSpec().name() + "' belong to"
                            + " the mirror; give the command first and its options after it, e.g. java -jar kmirror.jar "
                            + result.subcommand().commandSpec().name() + " --help");
                }
                if (command instanceof OffsetsArguments offsets) {
                    arguments.offsets = offsets;
                } else {
                    arguments.program = (Arguments.DemoJarCommand) command;
                }
            }
        } catch (UnmatchedArgumentException e) {
            throw new UsageException(unmatched(e));
        } catch (OverwrittenOptionException e) {
            String name = e.getOverwritten() instanceof OptionSpec option ? option.longestName() : "an option";
            throw new UsageException(name.equals("--whitelist") || name.equals("--include")
                    ? "--whitelist and --include are one option (--include is MirrorMaker's newer name); give it once,"
                            + " with a regex where ',' means 'or', e.g. --whitelist 'orders,payments.*'"
                    : "option " + name + " is given twice; give it once");
        } catch (ParameterException e) {
            throw new UsageException(e.getMessage());
        }
        return arguments;
    }

    /** The {@code --help} text. */
    static String usage() {
        return commandLine(new Arguments()).getUsageMessage();
    }

    /** The {@code offsets --help} text. */
    static String offsetsUsage() {
        return commandLine(new Arguments()).getSubcommands().get("offsets").getUsageMessage();
    }

    /** The {@code --version} text. */
    static String version() {
        return String.join("\n", new Arguments.Version().getVersion()); // not through picocli: the start banner prints it
    }

    /** Every option name the command line takes. */
    static Set<String> optionNames() {
        return new TreeSet<>(commandLine(new Arguments()).getCommandSpec().optionsMap().keySet());
    }

    private static CommandLine commandLine(Arguments arguments) {
        CommandLine commandLine = new CommandLine(arguments).setOverwrittenOptionsAllowed(false);
        // a program's arguments, options included, go to it unread
        commandLine.getSubcommands().values().stream()
                .filter(command -> command.getCommandSpec().userObject() instanceof Arguments.DemoJarCommand)
                .forEach(program -> program.setStopAtUnmatched(true));
        return commandLine;
    }

    private static void rejectDroppedOptions(String[] args) throws UsageException {
        for (String arg : args) {
            if (arg.equals("demo") || arg.equals("bench") || arg.equals("offsets")) {
                return; // the rest belongs to the command
            }
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String advice = DROPPED_OPTIONS.get(name);
            if (advice != null) {
                throw new UsageException(advice);
            }
        }
    }

    private static String letters(String option) {
        return option.replaceAll("[^A-Za-z0-9]", "").toLowerCase(java.util.Locale.ROOT);
    }

    private static String unmatched(UnmatchedArgumentException e) {
        for (String arg : e.getUnmatched()) {
            if (arg.startsWith("-")) {
                String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                List<String> suggestions = e.getSuggestions().stream().filter(s -> s.startsWith("-")).toList();
                // picocli's first suggestion is not always the nearest: one spelled alike but for '-' and '.' wins
                String nearest = suggestions.stream().filter(s -> letters(s).equals(letters(name))).findFirst()
                        .orElse(suggestions.isEmpty() ? null : suggestions.get(0));
                return "unknown option '" + name + "'" + (nearest == null ? "" : "; did you mean " + nearest + "?");
            }
        }
        return "unexpected argument '" + e.getUnmatched().get(0) + "': every value follows its option, e.g. --whitelist"
                + " testtopic (the commands are offsets, demo and bench)";
    }

    private static Map<String, String> dropped() {
        Map<String, String> dropped = new LinkedHashMap<>();
        dropped.put("--blacklist", "--blacklist worked only with MirrorMaker's old ZooKeeper-based consumer, which Kafka"
                + " has dropped; use --exclude REGEX together with --whitelist REGEX, e.g. --whitelist '.*' --exclude 'internal.*'");
        String listener = " is not supported: kmirror commits what the destination acknowledged on every rebalance"
                + " itself; remove it (an application that needs to react to assignments can embed kmirror and pass an"
                + " io.kmirror.MirrorListener)";
        dropped.put("--consumer.rebalance.listener", "--consumer.rebalance.listener" + listener);
        dropped.put("--rebalance.listener.args", "--rebalance.listener.args" + listener);
        return Map.copyOf(dropped);
    }
}
