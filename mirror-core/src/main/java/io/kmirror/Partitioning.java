package io.kmirror;

/**
 * How a mirrored record's destination partition is chosen. Both keep every key's order: all records
 * of one key come from one source partition and go to one destination partition.
 */
public enum Partitioning {
    /**
     * The record goes to the same partition number as at the source when the destination topic has
     * that partition; otherwise to the murmur2 hash of its key modulo the destination's partition
     * count (the Kafka default partitioner's choice), or, for a null key, the source partition modulo
     * that count. The default.
     */
    PRESERVE,
    /**
     * The record always goes to the murmur2 hash of its key modulo the destination's partition count;
     * a null key keeps its source partition modulo that count.
     */
    BY_KEY
}
