package dev.recstage.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class NeighborRangesTest {
    private static NeighborCounts counts(int... perNeighbor) {
        return new NeighborCounts(perNeighbor);
    }

    @Property(tries = 300)
    void rangesCoverEveryNeighbourInOrderAndEachHoldsAtMostTheMaximum(@ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int items,
                                                                     @ForAll @IntRange(min = 1, max = 6) int minPasses) {
        Random random = new Random(seed);
        int[] b = new int[items];
        int[] c = new int[items];
        long total = 0;
        int most = 0;
        for (int j = 0; j < items; j++) {
            b[j] = random.nextInt(10);
            c[j] = random.nextInt(4) == 0 ? 0 : random.nextInt(10);
            total += b[j] + c[j];
            most = Math.max(most, b[j] + c[j]);
        }
        long maxEntries = most + random.nextInt(40);
        NeighborCounts behavior = counts(b);
        NeighborCounts content = counts(c);
        List<NeighborRange> ranges = NeighborRanges.split(behavior, content, maxEntries, minPasses);
        assertEquals(0, ranges.get(0).from());
        assertEquals(items, ranges.get(ranges.size() - 1).to());
        long covered = 0;
        for (int r = 0; r < ranges.size(); r++) {
            NeighborRange range = ranges.get(r);
            assertTrue(range.from() < range.to(), range.toString());
            if (r > 0) {
                assertEquals(ranges.get(r - 1).to(), range.from());
            }
            long held = behavior.sum(range) + content.sum(range);
            assertTrue(held <= maxEntries, range + " holds " + held);
            covered += held;
        }
        assertEquals(total, covered);
        // As few as the greedy cut gives: no two neighbouring ranges would fit together under the per-pass share.
        long perPass = Math.min(maxEntries, Math.max(1, (total + minPasses - 1) / minPasses));
        for (int r = 1; r < ranges.size(); r++) {
            NeighborRange joined = new NeighborRange(ranges.get(r - 1).from(), ranges.get(r).from() + 1);
            assertTrue(behavior.sum(joined) + content.sum(joined) > perPass, "ranges " + (r - 1) + " and " + r + " cut too early");
        }
        if (total <= maxEntries && minPasses == 1) {
            assertEquals(1, ranges.size(), "everything fits one pass");
        }
    }

    @Test
    void aNeighbourListedMoreOftenThanAPassHoldsLeavesNoSplit() {
        assertEquals(List.of(), NeighborRanges.split(counts(1, 9, 1), counts(0, 2, 0), 10, 1));
        assertEquals(List.of(new NeighborRange(0, 1), new NeighborRange(1, 2), new NeighborRange(2, 3)),
                NeighborRanges.split(counts(1, 9, 1), counts(0, 2, 0), 11, 1));
        assertEquals(List.of(new NeighborRange(0, 3)), NeighborRanges.split(counts(1, 9, 1), counts(0, 2, 0), 13, 1));
        assertEquals(List.of(new NeighborRange(0, 2), new NeighborRange(2, 4)), NeighborRanges.split(counts(3, 3, 3, 3), counts(0, 0, 0, 0), 100, 2));
    }
}
