package io.kmirror.cli;

import io.kmirror.EffectiveConfigs;
import java.util.List;
import java.util.Map;

/**
 * The effective configuration, printed once at start in one block: the clients' keys the files give
 * and kmirror's defaults for those they do not ({@link io.kmirror.MirrorBuilder#effectiveConfigs()},
 * secrets hidden), and every mirror setting with where it comes from.
 */
final class StartBanner {

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
        keys(s, setup.clients().consumer());
        row(s, "destination", setup.producer().name());
        keys(s, setup.clients().producer());
        row(s, "topics", "--whitelist " + a.whitelist + (a.exclude == null ? "" : " --exclude " + a.exclude)
                + "  (Java regexes; ',' also means \"or\")");
        row(s, "consumer group", setup.groupId() + " (" + setup.groupOrigin() + ")");
        row(s, "streams", a.numStreams + (a.numStreams == 1 ? " consumer thread" : " consumer threads"));
        row(s, "destination topics", a.topicPrefix == null || a.topicPrefix.isEmpty()
                ? "same names as the source" : "\"" + a.topicPrefix + "\" + the source topic's name");
        row(s, "offset commits", "every " + a.offsetCommitIntervalMs + " ms, and when stopping");
        row(s, "send failure", switch (MirrorConfigurer.sendFailurePolicy(a)) {
            case FAIL -> "a refused record stops the mirror, exit 1";
            case SKIP -> "a refused record is logged, counted and skipped";
            case PAUSE_PARTITION -> "a refused record pauses its partition, retried while the others flow";
        });
        row(s, "gaps", MirrorConfigurer.gapPolicy(a.onGap) == io.kmirror.GapPolicy.RECORD_AND_CONTINUE
                ? "records deleted before they were mirrored are logged and passed"
                : "records deleted before they were mirrored stop the mirror, exit 1");
        row(s, "loop prevention", a.loopPrevention
                ? "on: records carry " + io.kmirror.Provenance.HEADER + " and never go back to a cluster they were on"
                : "off: records copied byte for byte (one-way mirrors only)");
        row(s, "start", a.startFrom == null ? "partitions without offsets from their earliest record (or auto.offset.reset)"
                : "partitions without offsets from " + MirrorConfigurer.startPosition(a.startFrom) + " (--start-from)");
        row(s, "throttle", a.throttleBytesPerSec == 0 ? "none"
                : a.throttleBytesPerSec + " bytes/s fetched from the source (--throttle.bytes.per.sec)");
        row(s, "message handler", a.messageHandler == null ? "none"
                : a.messageHandler + (a.messageHandlerArgs == null ? "" : " (\"" + a.messageHandlerArgs + "\")"));
        if (a.syncGroupOffsets != null) {
            row(s, "group offsets", "translated to the destination every second for groups matching --sync-group-offsets "
                    + a.syncGroupOffsets);
        }
        row(s, "delivery", !a.exactlyOnce ? "at-least-once" : a.transactionSlots == null || a.transactionSlots == 0
                ? "exactly-once" : "exactly-once through " + a.transactionSlots + " transaction slots (--transaction.slots)");
        row(s, "runs until", a.stopWhenCaughtUp
                ? "caught up with the source's end offsets at start (--stop-when-caught-up), or stopped"
                : "stopped");
        row(s, "stop", "SIGTERM or Ctrl-C: drain, commit, exit 0 (within " + a.shutdownTimeoutMs + " ms)");
        return s.toString();
    }

    private static void row(StringBuilder s, String name, String value) {
        s.append(String.format(ROW, name, value));
    }

    /** The keys the user gave and kmirror's defaults; what kmirror always sets itself (group, serializers, ...) is not shown. */
    private static void keys(StringBuilder s, List<EffectiveConfigs.Entry> entries) {
        for (EffectiveConfigs.Entry entry : entries) {
            String note = switch (entry.origin()) {
                case USER -> IGNORED_KEYS.containsKey(entry.key()) ? "   (" + IGNORED_KEYS.get(entry.key()) + ")" : "";
                case KMIRROR_DEFAULT -> "   (kmirror's default)";
                case KMIRROR -> null;
            };
            if (note != null) {
                s.append(String.format(KEY, "", entry + note));
            }
        }
    }
}
