package io.kmirror.internal.offsetmap;

/**
 * Source offsets {@code [sourceStart, sourceEnd)} mirrored with one constant difference
 * {@code destination − source}: the record at source offset {@code s} in the range, if it was mirrored,
 * is at destination offset {@code s + delta()}. Offsets in the range without a record (transaction
 * markers, aborted or compacted records) are gaps of the same size on both sides.
 */
record Segment(long sourceStart, long sourceEnd, long destinationStart) {

    long delta() {
        return destinationStart - sourceStart;
    }

    /** The destination offset after the segment's last record. */
    long destinationEnd() {
        return sourceEnd + delta();
    }

    Segment endingAt(long end) {
        return new Segment(sourceStart, end, destinationStart);
    }
}
