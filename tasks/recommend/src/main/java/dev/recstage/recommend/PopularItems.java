package dev.recstage.recommend;

import java.util.Arrays;

/**
 * The recent-popularity list for users without usable history: items by their count of distinct
 * users over the 30 days before the as-of time ({@code users_30d} of item_features.arrow), most
 * first, equal counts by item index; items the user has seen are skipped unless included. The
 * score written is that count.
 */
final class PopularItems {
    /** The column of item_features.arrow the list is ranked by. */
    static final String COLUMN = "users_30d";

    private final int[] order;
    private final long[] counts;
    private final boolean includeSeen;

    PopularItems(long[] counts, boolean includeSeen) {
        this.counts = counts;
        this.includeSeen = includeSeen;
        // Counts are user counts (int range): larger count in the high bits first, then the index.
        long[] keys = new long[counts.length];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = ((Integer.MAX_VALUE - Math.min(counts[i], Integer.MAX_VALUE)) << 32) | i;
        }
        Arrays.sort(keys);
        this.order = new int[counts.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = (int) keys[i];
        }
    }

    /** Heap bytes for {@code items} items (the counts, the order and the sort keys while building). */
    static long bytesFor(long items) {
        return 20 * items;
    }

    /** Writes the first {@code topN} unseen popular items from {@code offset}; returns how many. */
    int fill(int topN, int[] seen, int seenFrom, int seenTo, int[] outItems, float[] outScores, int offset) {
        int count = 0;
        for (int r = 0; r < order.length && count < topN; r++) {
            int item = order[r];
            if (includeSeen || Arrays.binarySearch(seen, seenFrom, seenTo, item) < 0) {
                outItems[offset + count] = item;
                outScores[offset + count] = counts[item];
                count++;
            }
        }
        return count;
    }
}
