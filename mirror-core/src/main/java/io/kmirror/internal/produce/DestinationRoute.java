package io.kmirror.internal.produce;

/**
 * Where the records of one source topic go.
 *
 * @param topic         the destination topic
 * @param partitions    its partition count, as last seen
 * @param followsSource whether it grows with its source topic: true when kmirror created it or found it
 *                      with at least the source's partitions; false for a topic the user made smaller,
 *                      which is used as it is
 * @param maxMessageBytes the destination topic's {@code max.message.bytes} as last read, or
 *                      {@link Integer#MAX_VALUE} when not known
 */
public record DestinationRoute(String topic, int partitions, boolean followsSource, int maxMessageBytes) {

    /** A route whose size limit is not known. */
    public DestinationRoute(String topic, int partitions, boolean followsSource) {
        this(topic, partitions, followsSource, Integer.MAX_VALUE);
    }
}
