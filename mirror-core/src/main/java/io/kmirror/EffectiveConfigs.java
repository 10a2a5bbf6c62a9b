package io.kmirror;

import io.kmirror.internal.config.ConfigMasking;
import io.kmirror.internal.config.LayeredConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.types.Password;

/**
 * The configurations of the Kafka clients a mirror creates, as it creates them, for a start banner, a
 * log line or a support ticket: every key with its value and where the value comes from. Secrets are
 * masked by Kafka's own definitions: every key that the consumer, producer or admin client types as a
 * password ({@code ssl.key.password}, {@code sasl.jaas.config}, ...) shows {@value #HIDDEN}.
 * Obtain one from {@link MirrorBuilder#effectiveConfigs()}. Immutable.
 */
public final class EffectiveConfigs {

    /** What a secret value shows instead of itself. */
    public static final String HIDDEN = ConfigMasking.HIDDEN;

    /** Where a value comes from. */
    public enum Origin {
        /** The user's configuration map (or file) gave it. */
        USER,
        /** kmirror's default; a user's value for the key would replace it. */
        KMIRROR_DEFAULT,
        /** kmirror sets it whatever the user gives: the group, the byte-array serializers, client ids, ... */
        KMIRROR
    }

    /**
     * One key of a client's configuration.
     *
     * @param key    the client configuration key
     * @param value  its value as text ({@value #HIDDEN} for a secret; a class as its name; a list joined with commas)
     * @param origin where the value comes from
     */
    public record Entry(String key, String value, Origin origin) {

        /** Checks that every part is there. */
        public Entry {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(origin, "origin");
        }

        /** {@code key=value}. */
        @Override
        public String toString() {
            return key + "=" + value;
        }
    }

    private final List<Entry> consumer;
    private final List<Entry> producer;
    private final List<Entry> sourceAdmin;
    private final List<Entry> destinationAdmin;

    EffectiveConfigs(LayeredConfig consumer, LayeredConfig producer, LayeredConfig sourceAdmin, LayeredConfig destinationAdmin) {
        this.consumer = entries(consumer);
        this.producer = entries(producer);
        this.sourceAdmin = entries(sourceAdmin);
        this.destinationAdmin = entries(destinationAdmin);
    }

    /**
     * The source consumer of the first stream; the others differ only in the stream number that ends
     * their {@code client.id}.
     *
     * @return its keys, sorted, unmodifiable
     */
    public List<Entry> consumer() {
        return consumer;
    }

    /**
     * The destination producer: at-least-once, the first stream's (the others differ only in the
     * stream number that ends their {@code client.id}); exactly-once, the transactional producer of a
     * source partition, with {@code <topic>-<partition>} standing for the partition in
     * {@code transactional.id} and {@code client.id}.
     *
     * @return its keys, sorted, unmodifiable
     */
    public List<Entry> producer() {
        return producer;
    }

    /**
     * The admin client of the source cluster: the admin keys of the source configuration.
     *
     * @return its keys, sorted, unmodifiable
     */
    public List<Entry> sourceAdmin() {
        return sourceAdmin;
    }

    /**
     * The admin client of the destination cluster: the admin keys of the destination configuration.
     *
     * @return its keys, sorted, unmodifiable
     */
    public List<Entry> destinationAdmin() {
        return destinationAdmin;
    }

    @Override
    public String toString() {
        return "EffectiveConfigs{consumer=" + consumer + ", producer=" + producer + ", sourceAdmin=" + sourceAdmin
                + ", destinationAdmin=" + destinationAdmin + "}";
    }

    private static List<Entry> entries(LayeredConfig layers) {
        Map<String, Object> merged = layers.merged();
        List<Entry> entries = new ArrayList<>();
        for (String key : new TreeSet<>(merged.keySet())) {
            String value = ConfigMasking.isSecret(key) ? HIDDEN : text(merged.get(key));
            entries.add(new Entry(key, value, origin(layers, key)));
        }
        return List.copyOf(entries);
    }

    private static Origin origin(LayeredConfig layers, String key) {
        if (layers.owned().containsKey(key)) {
            boolean userGaveTheSame = layers.user().containsKey(key)
                    && text(layers.user().get(key)).trim().equals(text(layers.owned().get(key)));
            return userGaveTheSame ? Origin.USER : Origin.KMIRROR;
        }
        return layers.user().containsKey(key) ? Origin.USER : Origin.KMIRROR_DEFAULT;
    }

    private static String text(Object value) {
        if (value instanceof Class<?> type) {
            return type.getName();
        }
        if (value instanceof Collection<?> values) {
            return values.stream().map(EffectiveConfigs::text).collect(Collectors.joining(","));
        }
        if (value instanceof Password) {
            return HIDDEN;
        }
        return String.valueOf(value);
    }
}
