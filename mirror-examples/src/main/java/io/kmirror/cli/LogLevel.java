package io.kmirror.cli;

import java.util.List;
import java.util.Locale;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * {@code --log-level}: the level of every logger of the jar's log4j2 configuration (kmirror's and the
 * Kafka clients', WARN by default), set once the options are checked.
 */
final class LogLevel {

    /** The levels {@code --log-level} takes. */
    static final List<String> NAMES = List.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE");

    private LogLevel() {
    }

    /** Whether {@code name} is one of {@link #NAMES}, ignoring case. */
    static boolean isValid(String name) {
        return NAMES.contains(name.toUpperCase(Locale.ROOT));
    }

    /** Sets every logger to {@code name}, one of {@link #NAMES}; WARN, the configuration's own, changes nothing. */
    static void set(String name) {
        Level level = Level.toLevel(name.toUpperCase(Locale.ROOT), Level.WARN);
        if (level != Level.WARN) {
            Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, level);
        }
    }
}
