package io.kmirror.examples.bench;

import io.kmirror.DeliveryGuarantee;
import io.kmirror.MirrorBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A contender named on the command line: {@code baseline}, {@code kmirror}, {@code kmirror-eos},
 * {@code kmirror-<n>streams} (also {@code kmirror-eos-<n>streams}), optionally followed by settings
 * to experiment with, each after a {@code +}: {@code key=value} for the destination producer,
 * {@code source.key=value} for the source consumer, and for kmirror the builder's intervals
 * {@code mirror.offsetCommitIntervalMs}, {@code mirror.transactionCommitIntervalMs},
 * {@code mirror.maxTransactionRecords}, {@code mirror.transactionSlots}, and {@code mirror.metricsRecordingLevel=INFO} to run without the per-record
 * sensors; {@code jvm.xmx=256m} gives this contender's JVM its own maximum heap. Example:
 * {@code kmirror+linger.ms=20+batch.size=524288}, {@code kmirror-eos-2streams+jvm.xmx=256m}.
 *
 * @param name                the name as given, used in the report
 * @param baseline            whether this is the bare consumer-to-producer loop
 * @param guarantee           kmirror's delivery guarantee
 * @param streams             kmirror's streams ({@link MirrorBuilder#DEFAULT_STREAMS} unless the name says)
 * @param producer            destination producer settings
 * @param consumer            source consumer settings
 * @param mirror              kmirror builder settings ({@link #MIRROR_SETTINGS})
 * @param xmx                 this contender's {@code -Xmx} (e.g. {@code 256m}); null: the run's {@code --xmx}
 */
record ContenderSpec(String name, boolean baseline, DeliveryGuarantee guarantee, int streams,
        Map<String, String> producer, Map<String, String> consumer, Map<String, String> mirror, String xmx) {

    /** The contenders {@code bench} runs unless told otherwise. */
    static final String DEFAULTS =
            "baseline,baseline+batch.size=262144+linger.ms=5,kmirror,kmirror-eos,kmirror-2streams,kmirror-4streams";

    private static final Pattern KMIRROR = Pattern.compile("kmirror(-eos)?(?:-(\\d+)streams?)?");
    private static final String SOURCE_PREFIX = "source.";
    private static final String MIRROR_PREFIX = "mirror.";
    private static final String XMX = "jvm.xmx";

    /** The builder settings a kmirror contender takes, each a whole number. */
    static final java.util.Set<String> MIRROR_SETTINGS =
            java.util.Set.of("offsetCommitIntervalMs", "transactionCommitIntervalMs", "maxTransactionRecords", "transactionSlots");
    /** The builder's metrics recording level, INFO or DEBUG: INFO runs without the per-record sensors. */
    static final String METRICS_RECORDING_LEVEL = "metricsRecordingLevel";
    /** Whether the mirror stamps provenance headers, true or false: false measures what they cost. */
    static final String LOOP_PREVENTION = "loopPrevention";
    /** Whether the mirror records its offset map, true or false: false measures what recording it costs. */
    static final String OFFSET_TRANSLATION = "offsetTranslation";

    /** The main class of this contender's JVM. */
    String mainClass() {
        return baseline ? BaselineContender.class.getName() : KmirrorContender.class.getName();
    }

    /** The name of the plain contender this one varies (the part before the first {@code +}). */
    String baseName() {
        int plus = name.indexOf('+');
        return plus < 0 ? name : name.substring(0, plus);
    }

    /**
     * Reads one contender name.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static ContenderSpec parse(String spec) {
        String[] parts = spec.trim().split("\\+");
        String base = parts[0];
        boolean baseline = base.equals("baseline");
        Matcher m = KMIRROR.matcher(base);
        if (!baseline && !m.matches()) {
            throw new IllegalArgumentException("unknown contender '" + base + "': use baseline, kmirror, kmirror-eos or kmirror-<n>streams");
        }
        DeliveryGuarantee guarantee = !baseline && m.group(1) != null ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE;
        int streams = !baseline && m.group(2) != null ? Integer.parseInt(m.group(2)) : MirrorBuilder.DEFAULT_STREAMS;
        if (streams < 1) {
            throw new IllegalArgumentException("contender '" + spec + "': streams must be at least 1");
        }
        Map<String, String> producer = new LinkedHashMap<>();
        Map<String, String> consumer = new LinkedHashMap<>();
        Map<String, String> mirror = new LinkedHashMap<>();
        String xmx = null;
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("contender '" + spec + "': '" + parts[i] + "' is not key=value");
            }
            String key = parts[i].substring(0, eq);
            String value = parts[i].substring(eq + 1);
            if (key.equals(XMX)) {
                if (!value.matches("[0-9]+[kKmMgG]?")) {
                    throw new IllegalArgumentException("contender '" + spec + "': " + XMX + " must be a heap size like 256m, not '"
                            + value + "'");
                }
                xmx = value;
            } else if (key.startsWith(MIRROR_PREFIX)) {
                String setting = key.substring(MIRROR_PREFIX.length());
                boolean named = setting.equals(METRICS_RECORDING_LEVEL) && value.matches("INFO|DEBUG")
                        || (setting.equals(LOOP_PREVENTION) || setting.equals(OFFSET_TRANSLATION)) && value.matches("true|false");
                if (baseline || !named && (!MIRROR_SETTINGS.contains(setting) || !value.matches("[0-9]+"))) {
                    throw new IllegalArgumentException("contender '" + spec + "': " + key + " must be one of mirror."
                            + MIRROR_SETTINGS + " with a whole number, mirror." + METRICS_RECORDING_LEVEL
                            + "=INFO|DEBUG, mirror." + LOOP_PREVENTION + "=true|false or mirror." + OFFSET_TRANSLATION
                            + "=true|false, for kmirror only");
                }
                mirror.put(setting, value);
            } else if (key.startsWith(SOURCE_PREFIX)) {
                consumer.put(key.substring(SOURCE_PREFIX.length()), value);
            } else {
                producer.put(key, value);
            }
        }
        return new ContenderSpec(spec.trim(), baseline, guarantee, streams, Map.copyOf(producer), Map.copyOf(consumer),
                Map.copyOf(mirror), xmx);
    }

    /** The arguments of this contender's JVM, but for the run's own (topics, group, expected records). */
    ContenderArgs args(String sourceBootstrap, String destinationBootstrap) {
        ContenderArgs args = new ContenderArgs()
                .with(ContenderArgs.SOURCE, sourceBootstrap)
                .with(ContenderArgs.DESTINATION, destinationBootstrap)
                .producer(producer)
                .consumer(consumer);
        if (!baseline) {
            args.with(ContenderArgs.GUARANTEE, guarantee.name())
                    .with(ContenderArgs.STREAMS, streams)
                    .mirror(mirror);
        }
        return args;
    }
}
