package io.kmirror.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Medians, percentiles and the JSON lines. */
class StatsTest {

    @Test
    void median_ofOddAndEvenCounts() {
        assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(Stats.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
        assertThat(Stats.median(List.of())).isNaN();
    }

    @Test
    void percentile_isNearestRank() {
        long[] sorted = new long[100];
        for (int i = 0; i < 100; i++) {
            sorted[i] = i + 1;
        }
        assertThat(Stats.percentile(sorted, 50)).isEqualTo(50);
        assertThat(Stats.percentile(sorted, 99)).isEqualTo(99);
        assertThat(Stats.percentile(sorted, 99.9)).isEqualTo(100);
        assertThat(Stats.percentile(new long[] {7}, 99)).isEqualTo(7);
    }

    @Test
    void jsonLine_roundTrips() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", "kmirror+linger.ms=\"5\"\n");
        fields.put("records", 1_000_000L);
        fields.put("rate", 0.5);
        fields.put("ok", true);

        String line = JsonLine.write(fields);

        assertThat(line).doesNotContain("\n");
        assertThat(JsonLine.parse(line)).isEqualTo(Map.of("name", "kmirror+linger.ms=\"5\"\n", "records", 1_000_000L, "rate", 0.5,
                "ok", true));
    }
}
