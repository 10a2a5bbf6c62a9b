package io.kmirror.internal.produce;

/**
 * Where the records of one source topic go.
 *
 * @param topic      the destination topic
 * @param partitions its partition count, as last seen
 */
public record DestinationRoute(String topic, int partitions) {
}
