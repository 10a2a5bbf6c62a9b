package io.kmirror.cli;

/**
 * Chooses {@code kmirror.jar}'s logging before anything logs: log4j2 when the user names a log4j2
 * configuration file ({@code -Dlog4j2.configurationFile=FILE} or {@code LOG4J_CONFIGURATION_FILE}), else
 * slf4j-simple with the jar's {@code simplelogger.properties}, which starts in milliseconds where log4j2 takes
 * 0.1-0.5 s of a start. A provider named with {@code -Dslf4j.provider} wins.
 */
final class LoggingBackend {

    static final String PROVIDER_PROPERTY = "slf4j.provider";
    static final String LOG4J2 = "org.apache.logging.slf4j.SLF4JServiceProvider";
    static final String SIMPLE = "org.slf4j.simple.SimpleServiceProvider";
    static final String VERBOSITY_PROPERTY = "slf4j.internal.verbosity";

    private LoggingBackend() {
    }

    /** Sets {@value #PROVIDER_PROPERTY} for this JVM unless it is set; call first thing in {@code main}. */
    static void choose() {
        if (System.getProperty(PROVIDER_PROPERTY) == null) {
            System.setProperty(PROVIDER_PROPERTY, log4j2FileNamed() ? LOG4J2 : SIMPLE);
            // slf4j would say on stderr which provider it loads, at every start
            if (System.getProperty(VERBOSITY_PROPERTY) == null) {
                System.setProperty(VERBOSITY_PROPERTY, "WARN");
            }
        }
    }

    private static boolean log4j2FileNamed() {
        return System.getProperty("log4j2.configurationFile") != null || System.getProperty("log4j.configurationFile") != null
                || System.getenv("LOG4J_CONFIGURATION_FILE") != null;
    }
}
