package io.kmirror.testkit.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** Offsets as short ranges for messages: {@code 412–414, 500, 602–610}. */
public final class OffsetRanges {

    private static final int MAX_RANGES = 5;

    private OffsetRanges() {
    }

    /**
     * Returns the offsets as ascending ranges joined by ", ", at most five, then
     * {@code "… (N more offsets)"}.
     *
     * @param offsets the offsets, in any order, not empty
     * @return the text
     */
    public static String of(Collection<Long> offsets) {
        List<long[]> ranges = new ArrayList<>();
        for (long offset : new TreeSet<>(offsets)) {
            long[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
            if (last != null && last[1] + 1 == offset) {
                last[1] = offset;
            } else {
                ranges.add(new long[] {offset, offset});
            }
        }
        StringBuilder text = new StringBuilder();
        long shown = 0;
        for (int i = 0; i < Math.min(ranges.size(), MAX_RANGES); i++) {
            long[] range = ranges.get(i);
            if (i > 0) {
                text.append(", ");
            }
            text.append(range[0]);
            if (range[1] > range[0]) {
                text.append('–').append(range[1]);
            }
            shown += range[1] - range[0] + 1;
        }
        long total = new TreeSet<>(offsets).size();
        if (total > shown) {
            text.append(", … (").append(total - shown).append(" more)");
        }
        return text.toString();
    }

    /**
     * Returns {@code "offset 5"} or {@code "offsets 412–414"}.
     *
     * @param offsets the offsets, not empty
     * @return the text
     */
    public static String named(Collection<Long> offsets) {
        return (new TreeSet<>(offsets).size() == 1 ? "offset " : "offsets ") + of(offsets);
    }
}
