package io.kmirror.cli;

import io.kmirror.EffectiveConfigs;
import io.kmirror.Mirror;

/**
 * A checked configuration: the mirror, built and not started, and what it was built from.
 *
 * @param mirror      the mirror, in {@code CREATED}
 * @param arguments   the command line's options
 * @param consumer    the {@code --consumer.config} file
 * @param producer    the {@code --producer.config} file
 * @param clients     the client configurations the mirror uses, secrets masked
 * @param groupId     the source consumer group the mirror commits to
 * @param groupOrigin where the group comes from: {@code --group}, the consumer file or the default
 */
record MirrorSetup(Mirror mirror, Arguments arguments, ConfigFile consumer, ConfigFile producer, EffectiveConfigs clients,
        String groupId,
        String groupOrigin) {
}
