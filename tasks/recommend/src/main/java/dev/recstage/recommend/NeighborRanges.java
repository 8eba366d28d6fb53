package dev.recstage.recommend;

import java.util.ArrayList;
import java.util.List;

/**
 * The passes of a recommend run whose neighbour lists do not fit the heap at once: consecutive
 * {@link NeighborRange}s of neighbour indexes, each holding at most a given number of entries of
 * both sources together. A user's score for item j, and an item's blended score for neighbour j,
 * take every term from the rows' entries for j, so a pass over the range of j computes them whole.
 */
final class NeighborRanges {
    private NeighborRanges() {
    }

    /**
     * @param maxEntries the most entries (behaviour and content) one pass may hold
     * @param minPasses  at least this many ranges (RECOMMEND_PASSES), however many entries fit
     * @return the ranges covering {@code [0, items)} in order; empty when one neighbour alone is
     *         listed more often than {@code maxEntries}
     */
    static List<NeighborRange> split(NeighborCounts behavior, NeighborCounts content, long maxEntries, int minPasses) {
        int items = behavior.items();
        long total = 0;
        for (int j = 0; j < items; j++) {
            total += entries(behavior, content, j);
        }
        long perPass = Math.min(maxEntries, Math.max(1, (total + minPasses - 1) / minPasses));
        List<NeighborRange> ranges = new ArrayList<>();
        int from = 0;
        long held = 0;
        for (int j = 0; j < items; j++) {
            long listed = entries(behavior, content, j);
            if (listed > maxEntries) {
                return List.of();
            }
            if (held + listed > perPass && j > from) {
                ranges.add(new NeighborRange(from, j));
                from = j;
                held = 0;
            }
            held += listed;
        }
        ranges.add(new NeighborRange(from, items));
        return ranges;
    }

    private static long entries(NeighborCounts behavior, NeighborCounts content, int j) {
        return (long) behavior.count(j) + content.count(j);
    }
}
