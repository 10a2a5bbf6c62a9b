package io.kmirror.examples.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line the orchestrator gives a contender JVM, written by {@link #toArgs()} and read back
 * by {@link #parse(String[])}: {@code --name value} pairs, plus repeated {@code --producer key=value} and
 * {@code --consumer key=value} client settings and {@code --mirror key=value} kmirror builder settings.
 */
final class ContenderArgs {

    static final String SOURCE = "source";
    static final String DESTINATION = "destination";
    /** A regex of the source topics. */
    static final String TOPIC = "topic";
    /** The destination topics' prefix: destination topic = prefix + source topic. */
    static final String PREFIX = "prefix";
    static final String GROUP = "group";
    /** Records to wait for; 0: run until stdin closes. */
    static final String EXPECT = "expect";
    static final String GUARANTEE = "guarantee";
    static final String STREAMS = "streams";
    static final String PRODUCER = "producer";
    static final String CONSUMER = "consumer";
    /** kmirror builder settings, see {@link ContenderSpec#MIRROR_SETTINGS}. */
    static final String MIRROR = "mirror";

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, Object> producer = new LinkedHashMap<>();
    private final Map<String, Object> consumer = new LinkedHashMap<>();
    private final Map<String, Object> mirror = new LinkedHashMap<>();

    /** Sets {@code name} to {@code value}; returns this. */
    ContenderArgs with(String name, Object value) {
        values.put(name, String.valueOf(value));
        return this;
    }

    /** Adds producer settings; returns this. */
    ContenderArgs producer(Map<String, String> settings) {
        producer.putAll(settings);
        return this;
    }

    /** Adds consumer settings; returns this. */
    ContenderArgs consumer(Map<String, String> settings) {
        consumer.putAll(settings);
        return this;
    }

    /** Adds kmirror builder settings; returns this. */
    ContenderArgs mirror(Map<String, String> settings) {
        mirror.putAll(settings);
        return this;
    }

    /** The kmirror builder settings given. */
    Map<String, Object> mirror() {
        return new HashMap<>(mirror);
    }

    /** The value of {@code name}; throws if it is missing. */
    String get(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return value;
    }

    /** The value of {@code name}, or {@code fallback}. */
    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /** The producer settings given, as a fresh mutable map. */
    Map<String, Object> producer() {
        return new HashMap<>(producer);
    }

    /** The consumer settings given, as a fresh mutable map. */
    Map<String, Object> consumer() {
        return new HashMap<>(consumer);
    }

    /** The command-line form. */
    List<String> toArgs() {
        List<String> args = new ArrayList<>();
        values.forEach((k, v) -> args.addAll(List.of("--" + k, v)));
        producer.forEach((k, v) -> args.addAll(List.of("--" + PRODUCER, k + "=" + v)));
        consumer.forEach((k, v) -> args.addAll(List.of("--" + CONSUMER, k + "=" + v)));
        mirror.forEach((k, v) -> args.addAll(List.of("--" + MIRROR, k + "=" + v)));
        return args;
    }

    /** Reads what {@link #toArgs()} wrote. */
    static ContenderArgs parse(String[] args) {
        ContenderArgs parsed = new ContenderArgs();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + String.join(" ", args));
            }
            String name = args[i].substring(2);
            String value = args[i + 1];
            if (name.equals(PRODUCER) || name.equals(CONSUMER) || name.equals(MIRROR)) {
                int eq = value.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException("--" + name + " takes key=value, got " + value);
                }
                Map<String, Object> settings = name.equals(PRODUCER) ? parsed.producer
                        : name.equals(CONSUMER) ? parsed.consumer : parsed.mirror;
                settings.put(value.substring(0, eq), value.substring(eq + 1));
            } else {
                parsed.values.put(name, value);
            }
        }
        return parsed;
    }
}
