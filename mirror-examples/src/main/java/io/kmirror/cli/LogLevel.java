package io.kmirror.cli;

import java.util.List;
import java.util.Locale;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.slf4j.LoggerFactory;

/**
 * {@code --log-level}: the level of every logger (kmirror's and the Kafka clients', WARN by default), set
 * once the options are read and before the mirror's classes make their loggers. slf4j-simple, the jar's default
 * backend, reads it when it starts; log4j2 (a configuration file of the user's) is set through its API.
 */
final class LogLevel {

    /** The levels {@code --log-level} takes. */
    static final List<String> NAMES = List.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE");

    /** slf4j-simple's default level, read when it starts. */
    static final String SIMPLE_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

    private LogLevel() {
    }

    /** Whether {@code name} is one of {@link #NAMES}, ignoring case. */
    static boolean isValid(String name) {
        return NAMES.contains(name.toUpperCase(Locale.ROOT));
    }

    /**
     * Sets every logger to {@code name}, one of {@link #NAMES}; WARN, the configurations' own, changes nothing,
     * nor does a name that is none (the configurer reports it).
     */
    static void set(String name) {
        if (!isValid(name) || name.equalsIgnoreCase("WARN")) {
            return;
        }
        System.setProperty(SIMPLE_LEVEL_PROPERTY, name.toLowerCase(Locale.ROOT));
        if (LoggerFactory.getILoggerFactory().getClass().getName().startsWith("org.apache.logging")) {
            Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, Level.toLevel(name.toUpperCase(Locale.ROOT), Level.WARN));
        }
    }
}
