package io.kmirror.cli;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * Reads the common command line, {@code --name value} and {@code --name=value} pairs of the mirror's own
 * options, straight into {@link Arguments}, from the same {@link Option} annotations picocli reads. picocli's
 * first parse in a JVM costs about 0.2 s, most of {@code kmirror.jar}'s start before the mirror's own: its
 * classes target Java 5, which a class-data sharing archive or an AOT cache cannot hold. Whatever this parser
 * is not sure of (a subcommand, help, an unknown or repeated option, a value it cannot convert, a value that
 * looks like an option, an {@code @file} picocli would expand) it leaves to picocli, which then answers, with
 * its messages, as it always did.
 */
final class CommonCaseParser {

    private static final String NO_DEFAULT = "__no_default_value__";

    private CommonCaseParser() {
    }

    /** {@code args} as picocli would read them, or null: picocli has to read them. */
    static Arguments parse(String[] args) {
        Map<String, Field> options = new HashMap<>();
        for (Field field : Arguments.class.getDeclaredFields()) {
            Option option = field.getAnnotation(Option.class);
            if (option != null && !option.usageHelp() && !option.versionHelp()) {
                for (String name : option.names()) {
                    options.put(name, field);
                }
            }
        }
        Arguments arguments = new Arguments();
        Set<Field> given = new HashSet<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                int equals = arg.indexOf('=');
                Field field = options.get(equals < 0 ? arg : arg.substring(0, equals));
                if (!arg.startsWith("--") || field == null || !given.add(field)) {
                    return null;
                }
                String value;
                if (isFlag(field)) {
                    if (equals >= 0) {
                        return null;
                    }
                    value = "true";
                } else if (equals >= 0) {
                    value = arg.substring(equals + 1);
                } else if (i + 1 < args.length && !args[i + 1].startsWith("-") && !args[i + 1].startsWith("@")) {
                    value = args[++i];
                } else {
                    return null;
                }
                if (!set(arguments, field, value)) {
                    return null;
                }
            }
            for (Field field : options.values()) {
                String defaultValue = field.getAnnotation(Option.class).defaultValue();
                if (!given.contains(field) && !NO_DEFAULT.equals(defaultValue) && !set(arguments, field, defaultValue)) {
                    return null;
                }
            }
        } catch (IllegalAccessException e) {
            return null;
        }
        return arguments;
    }

    /** A boolean option without a value of its own: present means true. */
    private static boolean isFlag(Field field) {
        return field.getType() == boolean.class && field.getAnnotation(Option.class).arity().isEmpty();
    }

    /** Sets {@code field} to {@code value} converted to its type; false if this parser cannot convert it. */
    private static boolean set(Arguments arguments, Field field, String value) throws IllegalAccessException {
        Class<?> type = field.getType();
        try {
            if (type == String.class) {
                field.set(arguments, value);
            } else if (type == Path.class) {
                field.set(arguments, Path.of(value));
            } else if (type == int.class || type == Integer.class) {
                field.set(arguments, Integer.valueOf(value));
            } else if (type == long.class || type == Long.class) {
                field.set(arguments, Long.valueOf(value));
            } else if (type == boolean.class && (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false"))) {
                field.set(arguments, Boolean.valueOf(value));
            } else {
                return false;
            }
        } catch (RuntimeException e) { // a number that is none, a path the file system refuses
            return false;
        }
        return true;
    }
}
