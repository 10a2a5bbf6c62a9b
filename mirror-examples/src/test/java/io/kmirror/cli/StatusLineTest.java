package io.kmirror.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmirror.MirrorState;
import io.kmirror.cli.StatusLine.Sample;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StatusLineTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void running_showsRatesBetweenTwoSamples_lagAndTopics() {
        Sample from = new Sample(0, MirrorState.RUNNING, 10_000, 1_000_000, 10_000, 0, 2);
        Sample to = new Sample(2 * SECOND, MirrorState.RUNNING, 30_000, 5_000_000, 30_000, 1_234, 2);
        assertThat(StatusLine.running(from, to))
                .isEqualTo("RUNNING  10,000 records/s  2.00 MB/s  lag 1,234  2 topics  30,000 records mirrored");
    }

    @Test
    void running_whileBehind_showsSecondsBehind_andTheP99Latency() {
        Sample from = new Sample(0, MirrorState.RUNNING, 0, 0, 0, 0, 1);
        Sample to = new Sample(SECOND, MirrorState.RUNNING, 1_000, 100_000, 1_000, 5_000, 1, Duration.ofMillis(4_240), 31.4);
        assertThat(StatusLine.running(from, to))
                .isEqualTo("RUNNING  1,000 records/s  0.10 MB/s  lag 5,000 (4.2 s behind)  p99 31 ms  1 topic  1,000 records mirrored");
    }

    @Test
    void running_beforeAnything_hasZeroRates() {
        Sample s = new Sample(5, MirrorState.STARTING, 0, 0, 0, 0, 0);
        assertThat(StatusLine.running(s, s)).isEqualTo("STARTING  0 records/s  0.00 MB/s  lag 0  0 topics  0 records mirrored");
    }

    @Test
    void progress_isDoneOverDonePlusLag_withEta() {
        Sample from = new Sample(0, MirrorState.RUNNING, 0, 0, 0, 40_000, 1);
        Sample to = new Sample(SECOND, MirrorState.RUNNING, 10_000, 1_000_000, 10_000, 30_000, 1);
        assertThat(StatusLine.progress(from, to))
                .isEqualTo("[######..................]   25%  10,000 of 40,000 records  10,000 records/s  1.00 MB/s  ETA 0:03");
    }

    @Test
    void progress_countsDroppedRecordsAsDone_andEndsAtHundredPercent() {
        Sample from = new Sample(0, MirrorState.RUNNING, 0, 0, 0, 100, 1);
        Sample to = new Sample(SECOND, MirrorState.RUNNING, 90, 900, 100, 0, 1);
        assertThat(StatusLine.progress(from, to)).startsWith("[########################]  100%  100 of 100 records")
                .endsWith("ETA 0:00");
    }

    @Test
    void progress_beforePartitionsAreAssigned_saysSo() {
        Sample s = new Sample(0, MirrorState.STARTING, 0, 0, 0, 0, 0);
        assertThat(StatusLine.progress(s, s)).isEqualTo("[........................]  STARTING: waiting for partitions");
    }

    @Test
    void onANarrowTerminal_linesGetShorterWordsThenFewerFigures_neverWider() {
        Sample from = new Sample(0, MirrorState.RUNNING, 0, 0, 0, 4_000_000, 12);
        Sample to = new Sample(SECOND, MirrorState.RUNNING, 1_234_567, 123_456_789, 1_234_567, 2_765_433, 12);
        assertThat(StatusLine.progress(from, to)).hasSizeGreaterThan(100);
        assertThat(StatusLine.progress(from, to, 100))
                .isEqualTo("[#######.................]   30%  1,234,567 of 4,000,000 records  1,234,567 records/s  ETA 0:03");
        assertThat(StatusLine.progress(from, to, 79))
                .isEqualTo("[###.........]   30%  1,234,567 of 4,000,000  1,234,567 rec/s  ETA 0:03");
        assertThat(StatusLine.progress(from, to, 60)).isEqualTo("[###.........]   30%  ETA 0:03");
        assertThat(StatusLine.running(from, to, 90))
                .isEqualTo("RUNNING  1,234,567 rec/s  123.46 MB/s  lag 2,765,433  12 topics  1,234,567 mirrored");
        assertThat(StatusLine.running(from, to, 79)).isEqualTo("RUNNING  1,234,567 rec/s  lag 2,765,433  1,234,567 mirrored");
        assertThat(StatusLine.running(from, to, 40)).hasSize(40).startsWith("RUNNING  1,234,567 rec/s  lag");
    }

    @Test
    void eta_formats() {
        assertThat(StatusLine.eta(1_000, 0)).isEqualTo("--:--");
        assertThat(StatusLine.eta(0, 0)).isEqualTo("0:00");
        assertThat(StatusLine.eta(1_000, 10)).isEqualTo("1:40");
        assertThat(StatusLine.eta(36_610, 10)).isEqualTo("1:01:01");
    }
}
