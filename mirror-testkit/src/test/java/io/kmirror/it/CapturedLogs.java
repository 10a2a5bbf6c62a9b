package io.kmirror.it;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Every log line of this JVM while open, with its stack trace: kmirror's at DEBUG, Kafka's clients at INFO
 * (their configuration dumps), the rest as configured. For searching them for what must, or must never, be logged.
 */
final class CapturedLogs extends AbstractAppender implements AutoCloseable {

    /** The loggers made more talkative while capturing, with their level. */
    private static final Map<String, Level> LEVELS = Map.of("io.kmirror", Level.DEBUG, "org.apache.kafka.clients", Level.INFO,
            "org.apache.kafka.common.security", Level.INFO, "org.apache.kafka.common.network", Level.INFO);

    private final List<String> lines = new ArrayList<>();
    private final Map<String, Level> before = new java.util.HashMap<>();

    private CapturedLogs() {
        super("captured-logs", null, null, true, Property.EMPTY_ARRAY);
    }

    /** Starts capturing. */
    static CapturedLogs capture() {
        CapturedLogs logs = new CapturedLogs();
        logs.attach();
        return logs;
    }

    private void attach() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        start();
        config.addAppender(this);
        config.getRootLogger().addAppender(this, Level.ALL, null);
        LEVELS.forEach((name, level) -> {
            LoggerConfig current = config.getLoggerConfig(name);
            before.put(name, current.getName().equals(name) ? current.getLevel() : null);
        });
        Configurator.setLevel(LEVELS);
    }

    @Override
    public void append(LogEvent event) {
        StringBuilder line = new StringBuilder(event.getLevel() + " " + event.getLoggerName() + " - "
                + event.getMessage().getFormattedMessage());
        if (event.getThrown() != null) {
            StringWriter trace = new StringWriter();
            event.getThrown().printStackTrace(new PrintWriter(trace));
            line.append('\n').append(trace);
        }
        synchronized (lines) {
            lines.add(line.toString());
        }
    }

    /** The lines captured so far. */
    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Stops capturing and puts the loggers' levels back. */
    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        config.getRootLogger().removeAppender(getName());
        before.forEach((name, level) -> {
            if (level == null) {
                config.removeLogger(name);
            } else {
                config.getLoggerConfig(name).setLevel(level);
            }
        });
        context.updateLoggers();
        stop();
    }
}
