package io.kmirror.internal.produce;

/**
 * Where the records of one source topic go.
 *
 * @param topic         the destination topic
 * @param partitions    its partition count, as last seen
 * @param followsSource whether it grows with its source topic: true when kmirror created it or found it
 *                      with at least the source's partitions; false for a topic the user made smaller,
 *                      which is used as it is
 */
public record DestinationRoute(String topic, int partitions, boolean followsSource) {
}
