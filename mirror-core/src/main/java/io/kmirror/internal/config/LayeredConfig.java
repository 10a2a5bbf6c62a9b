package io.kmirror.internal.config;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A client configuration in the three layers it is made of: kmirror's defaults, the user's keys over
 * them, and what the mirror must own over both. {@link #merged()} is what the client gets.
 *
 * @param defaults kmirror's defaults, which the user's keys replace
 * @param user     the user's keys as given
 * @param owned    what the mirror sets whatever the user gave (group, serializers, client id, ...)
 */
public record LayeredConfig(Map<String, Object> defaults, Map<String, Object> user, Map<String, Object> owned) {

    /** Copies the layers. */
    public LayeredConfig {
        defaults = Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
        user = Collections.unmodifiableMap(new LinkedHashMap<>(user));
        owned = Collections.unmodifiableMap(new LinkedHashMap<>(owned));
    }

    /** The configuration the client gets: defaults, then the user's keys, then the owned ones. */
    public Map<String, Object> merged() {
        Map<String, Object> config = new HashMap<>(defaults);
        config.putAll(user);
        config.putAll(owned);
        return config;
    }

    /** The layers with every secret masked ({@link ConfigMasking}): the record's own form would show them. */
    @Override
    public String toString() {
        return "LayeredConfig{defaults=" + ConfigMasking.mask(defaults) + ", user=" + ConfigMasking.mask(user) + ", owned="
                + ConfigMasking.mask(owned) + "}";
    }

    /** These layers with {@code key} owned and set to {@code value}. */
    LayeredConfig own(String key, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(owned);
        more.put(key, value);
        return new LayeredConfig(defaults, user, more);
    }
}
