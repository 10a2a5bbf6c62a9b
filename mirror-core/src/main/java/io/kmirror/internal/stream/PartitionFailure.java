package io.kmirror.internal.stream;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * A failure that stops the mirror, and the source partition whose record or transaction caused it.
 *
 * @param partition the source partition
 * @param cause     what the mirror fails with, naming the partition
 */
record PartitionFailure(TopicPartition partition, KafkaException cause) {
}
