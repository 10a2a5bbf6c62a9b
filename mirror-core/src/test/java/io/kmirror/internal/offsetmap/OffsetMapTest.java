package io.kmirror.internal.offsetmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The translation rule, from acknowledgements through the stored form to answers. */
class OffsetMapTest {

    private static final TopicPartition SOURCE = new TopicPartition("orders", 0);
    private static final TopicPartition DESTINATION = new TopicPartition("orders", 0);

    private final LivePartitionMap live = new LivePartitionMap(SOURCE);
    private final PartitionMap read = new PartitionMap();

    private void ack(long source, long destination) {
        live.acknowledged(source, DESTINATION.topic(), DESTINATION.partition(), destination);
    }

    private void ackRange(long sourceFrom, long sourceTo, long destinationFrom) {
        for (long s = sourceFrom; s < sourceTo; s++) {
            ack(s, destinationFrom + s - sourceFrom);
        }
    }

    /** Commits at {@code position}: what the mirror writes, read back as the translator does. */
    private void commit(long position) {
        List<MapEntry> entries = live.toStore("g", position);
        entries.forEach(read::put);
        live.stored(entries);
    }

    private long translate(long position) {
        OptionalLong answer = read.translate(position);
        assertThat(answer).as("translation of %d", position).isPresent();
        return answer.getAsLong();
    }

    @Test
    void aContiguousCopyIsOneSegmentAndTranslatesOneToOne() {
        ackRange(0, 1000, 40);
        commit(500);
        commit(1000);
        assertThat(read.segments()).isEqualTo(1);
        assertThat(translate(0)).isEqualTo(40);
        assertThat(translate(777)).isEqualTo(817);
        assertThat(translate(1000)).isEqualTo(1040);
        assertThat(read.translate(1001)).as("not committed that far").isEmpty();
    }

    @Test
    void aReplayedRangeTranslatesToItsLastCopy() {
        ackRange(0, 10, 0);
        commit(5);
        ackRange(5, 12, 10); // after a crash: 5..9 written again at 10..14, then 10, 11 at 15, 16
        commit(12);
        assertThat(translate(3)).isEqualTo(3);
        assertThat(translate(5)).isEqualTo(10);
        assertThat(translate(7)).isEqualTo(12);
        assertThat(translate(11)).isEqualTo(16);
        assertThat(translate(12)).isEqualTo(17);
    }

    @Test
    void positionsInASourceGapGoToTheNextMirroredRecord() {
        ackRange(0, 6, 0);   // 6, 7 aborted, 8 a commit marker in the source
        ackRange(9, 13, 6);
        commit(13);
        assertThat(translate(5)).isEqualTo(5);
        for (long gap = 6; gap <= 9; gap++) {
            assertThat(translate(gap)).as("position %d", gap).isEqualTo(6);
        }
        assertThat(translate(10)).isEqualTo(7);
    }

    @Test
    void destinationMarkersBetweenTransactionsAreSkipped() {
        ackRange(0, 5, 0);   // transaction 1, its marker at 5
        commit(5);
        ackRange(5, 10, 6);  // transaction 2, its marker at 11
        commit(10);
        assertThat(translate(4)).isEqualTo(4);
        assertThat(translate(5)).isEqualTo(6);
        assertThat(translate(9)).isEqualTo(10);
        assertThat(translate(10)).as("after the last record: past it").isEqualTo(11);
    }

    @Test
    void aPositionPastTheLastRecordButCommittedGoesAfterIt() {
        ackRange(0, 5, 100);
        commit(8); // 5..7: markers or aborted records, committed past
        assertThat(translate(6)).isEqualTo(105);
        assertThat(translate(8)).isEqualTo(105);
        assertThat(read.translate(9)).isEmpty();
    }

    @Test
    void aPositionBelowTheMapGoesToItsFirstRecord() {
        ackRange(100, 110, 0); // the source's log started at 100
        commit(110);
        assertThat(translate(0)).isEqualTo(0);
        assertThat(translate(100)).isEqualTo(0);
    }

    @Test
    void aTakeOverThatContinuesTheStretchCountsAsOneSegment() {
        ackRange(0, 10, 0);
        commit(10);
        LivePartitionMap newOwner = new LivePartitionMap(SOURCE);
        for (long s = 10; s < 20; s++) {
            newOwner.acknowledged(s, DESTINATION.topic(), DESTINATION.partition(), s);
        }
        newOwner.toStore("g", 20).forEach(read::put);
        assertThat(read.segments()).isEqualTo(1);
        assertThat(translate(15)).isEqualTo(15);
    }

    @Test
    void onlyChangedSegmentsAreWrittenAgain() {
        ackRange(0, 10, 0);
        commit(10);
        assertThat(live.toStore("g", 10)).as("nothing new").isEmpty();
        ackRange(10, 20, 10);
        List<MapEntry> next = live.toStore("g", 20);
        assertThat(next).hasSize(1);
        assertThat(next.get(0).segment()).isEqualTo(new Segment(0, 20, 0));
    }

    @Test
    void recordsSpreadOverSeveralDestinationPartitionsHaveNoMap() {
        ack(0, 0);
        live.acknowledged(1, "orders", 1, 0);
        assertThat(live.toStore("g", 2)).isEmpty();
        assertThat(live.scattered()).isTrue();
    }

    @Test
    void theStoredFormRoundTrips() {
        MapEntry entry = new MapEntry("mirror-group", SOURCE, new TopicPartition("east.orders", 0), new Segment(5, 90, 7), 95);
        OffsetMapCodec.Key key = OffsetMapCodec.decodeKey(OffsetMapCodec.key("mirror-group", SOURCE, 5));
        assertThat(OffsetMapCodec.decode(key, OffsetMapCodec.value(entry))).isEqualTo(entry);
    }
}
