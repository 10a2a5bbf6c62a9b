package io.kmirror.internal.offsetmap;

import org.apache.kafka.common.TopicPartition;

/**
 * One record of the offset map topic: a segment of a source partition of one mirror group, where it
 * went, and how far the mirror had committed that partition when it was written.
 *
 * @param group       the mirror's group id
 * @param source      the source partition
 * @param destination the destination partition its records went to
 * @param segment     the segment
 * @param coveredUpTo the mirror's committed source position of the partition when written: every record below
 *                    it was mirrored
 */
record MapEntry(String group, TopicPartition source, TopicPartition destination, Segment segment, long coveredUpTo) {
}
