package io.kmirror.examples.cli;

import io.kmirror.internal.config.ConfigMasking;
import java.util.Map;
import java.util.TreeMap;

/**
 * The effective configuration, printed once at start in one block: the files' keys (secrets hidden)
 * with kmirror's client defaults for keys they do not set, and every mirror setting with where it
 * comes from.
 */
final class StartBanner {

    /**
     * kmirror's defaults for client keys a file does not set (README, "Configuration"). mirror-core
     * applies them; they are repeated here only to be shown, until mirror-core can tell its effective
     * client configurations.
     */
    static final Map<String, String> CONSUMER_DEFAULTS = Map.of(
            "allow.auto.create.topics", "false",
            "auto.offset.reset", "earliest",
            "isolation.level", "read_committed",
            "receive.buffer.bytes", "-1");
    static final Map<String, String> PRODUCER_DEFAULTS = Map.of(
            "acks", "all",
            "enable.idempotence", "true",
            "linger.ms", "5",
            "batch.size", "262144");
    /** MirrorMaker 1 keys that current Kafka clients ignore. */
    static final Map<String, String> IGNORED_KEYS = Map.of(
            "zookeeper.connect", "ignored: current clients talk to the brokers",
            "producer.type", "ignored: MirrorMaker 1's sync/async switch; offsets are committed only after the destination acknowledged");

    private static final String ROW = "  %-20s %s%n";
    private static final String KEY = "  %-20s   %s%n";

    private StartBanner() {
    }

    static String render(MirrorSetup setup, String version) {
        Arguments a = setup.arguments();
        StringBuilder s = new StringBuilder();
        s.append(version).append(": mirroring with this configuration (secrets hidden)\n");
        row(s, "source", setup.consumer().name());
        keys(s, setup.consumer(), CONSUMER_DEFAULTS);
        row(s, "destination", setup.producer().name());
        keys(s, setup.producer(), PRODUCER_DEFAULTS);
        row(s, "topics", "--whitelist " + a.whitelist + (a.exclude == null ? "" : " --exclude " + a.exclude)
                + "  (Java regexes; ',' also means \"or\")");
        row(s, "consumer group", setup.groupId() + " (" + setup.groupOrigin() + ")");
        row(s, "streams", a.numStreams + (a.numStreams == 1 ? " consumer thread" : " consumer threads"));
        row(s, "destination topics", a.topicPrefix == null || a.topicPrefix.isEmpty()
                ? "same names as the source" : "\"" + a.topicPrefix + "\" + the source topic's name");
        row(s, "offset commits", "every " + a.offsetCommitIntervalMs + " ms, and when stopping");
        row(s, "send failure", a.abortOnSendFailure
                ? "stop the mirror, exit 1 (--abort.on.send.failure=true)"
                : "log, count and skip the record (--abort.on.send.failure=false)");
        row(s, "message handler", a.messageHandler == null ? "none"
                : a.messageHandler + (a.messageHandlerArgs == null ? "" : " (\"" + a.messageHandlerArgs + "\")"));
        row(s, "delivery", a.exactlyOnce ? "exactly-once" : "at-least-once");
        row(s, "runs until", a.stopWhenCaughtUp
                ? "caught up with the source's end offsets at start (--stop-when-caught-up), or stopped"
                : "stopped");
        row(s, "stop", "SIGTERM or Ctrl-C: drain, commit, exit 0 (within " + a.shutdownTimeoutMs + " ms)");
        return s.toString();
    }

    private static void row(StringBuilder s, String name, String value) {
        s.append(String.format(ROW, name, value));
    }

    private static void keys(StringBuilder s, ConfigFile file, Map<String, String> defaults) {
        Map<String, String> shown = new TreeMap<>();
        ConfigMasking.mask(file.config()).forEach((key, value) -> shown.put(key, key + "=" + value
                + (IGNORED_KEYS.containsKey(key) ? "   (" + IGNORED_KEYS.get(key) + ")" : "")));
        defaults.forEach((key, value) -> shown.putIfAbsent(key, key + "=" + value + "   (kmirror's default)"));
        shown.values().forEach(line -> s.append(String.format(KEY, "", line)));
    }
}
