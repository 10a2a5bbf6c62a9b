package io.kmirror;

import io.kmirror.internal.config.ConfigMasking;
import java.util.Objects;
import javax.annotation.Nullable;

/**
 * One problem that {@link MirrorBuilder#build()} (or a mirror at start) found in a configuration, in
 * parts a tool can map to its own words without reading the text: which setting, which client key,
 * the offending value, what is wrong and what to do.
 *
 * <p>{@link #toString()} is the problem as one line, {@code "setting: message; fix"}, e.g.
 * {@code "streams: must be at least 1, was 0; each stream is one consumer thread"}.
 *
 * @param setting the builder setting the problem is about, named as its {@link MirrorBuilder} method:
 *     {@code source}, {@code destination}, {@code topics}, {@code groupId}, {@code streams},
 *     {@code topicNaming}, {@code guarantee}, {@code onSendFailure}, {@code offsetCommitInterval}, ...;
 *     empty only for a problem made from plain text by a deprecated constructor of
 *     {@link MirrorConfigException}
 * @param key     for {@code source} and {@code destination}: the client configuration key, e.g.
 *     {@code bootstrap.servers}; null when the problem is not about one key
 * @param value   the offending value as text, or null when something is missing; the value of a secret key
 *     ({@code sasl.jaas.config}, {@code ssl.keystore.password}, ...) is {@value EffectiveConfigs#HIDDEN}
 * @param message what is wrong, e.g. {@code 'bootstrap.servers' is missing}
 * @param fix     what to do about it, e.g. {@code add the source cluster's brokers, e.g. bootstrap.servers=host:9092};
 *     may be empty
 */
public record ConfigProblem(String setting, @Nullable String key, @Nullable String value, String message, String fix) {

    /**
     * Checks that the parts are there.
     *
     * @throws NullPointerException if {@code setting}, {@code message} or {@code fix} is null
     */
    public ConfigProblem {
        Objects.requireNonNull(setting, "setting");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(fix, "fix");
        if (key != null && value != null && ConfigMasking.isSecret(key)) {
            value = ConfigMasking.HIDDEN;
        }
    }

    /**
     * A problem with a builder setting that is not a client key.
     *
     * @param setting the setting, e.g. {@code streams}
     * @param value   the offending value, or null
     * @param message what is wrong
     * @param fix     what to do
     * @return the problem
     */
    public static ConfigProblem of(String setting, @Nullable Object value, String message, String fix) {
        return new ConfigProblem(setting, null, value == null ? null : value.toString(), message, fix);
    }

    /**
     * The problem as one line: {@code "setting: message; fix"} (parts that are empty are left out).
     *
     * @return the line
     */
    @Override
    public String toString() {
        return (setting.isEmpty() ? "" : setting + ": ") + message + (fix.isEmpty() ? "" : "; " + fix);
    }
}
