package dev.recstage.recommend;

/**
 * Per row (a user, or an item's related list), the best N entries found over the passes so far,
 * best first: a higher float score, then a smaller index, the order of {@link dev.recstage.core.engine.TopKHeap}.
 * The passes cover disjoint neighbour ranges, so the top N of the merged partial top Ns is the top N
 * of one pass over everything: the same entries, order and ties. Each entry carries a tag (the
 * {@code because} item, or the source code). Rows are merged by one thread each.
 */
final class RunningTopN {
    private final int n;
    private final int[] counts;
    private final int[] items;
    private final float[] scores;
    private final int[] tags;

    RunningTopN(int rows, int n) {
        this.n = n;
        this.counts = new int[rows];
        this.items = new int[Math.multiplyExact(rows, n)];
        this.scores = new float[items.length];
        this.tags = new int[items.length];
    }

    /** Heap bytes of {@code rows} rows of {@code n} entries. */
    static long bytesFor(long rows, long n) {
        return 4 * rows + 12 * rows * n;
    }

    /** A thread's buffers for {@link #merge}. */
    static final class Scratch {
        private final int[] items;
        private final float[] scores;
        private final int[] tags;

        Scratch(int n) {
            items = new int[n];
            scores = new float[n];
            tags = new int[n];
        }
    }

    /**
     * Merges a pass's list of {@code row} (best first, at {@code offset}, at most N) into the row's:
     * both the row and the given arrays then hold the merged list.
     *
     * @return the merged list's length
     */
    int merge(int row, int[] passItems, float[] passScores, int[] passTags, int offset, int count, Scratch scratch) {
        int base = row * n;
        int held = counts[row];
        int a = 0;
        int b = 0;
        int size = 0;
        while (size < n && (a < held || b < count)) {
            boolean takeHeld = b == count || (a < held && better(scores[base + a], items[base + a], passScores[offset + b], passItems[offset + b]));
            if (takeHeld) {
                scratch.items[size] = items[base + a];
                scratch.scores[size] = scores[base + a];
                scratch.tags[size] = tags[base + a];
                a++;
            } else {
                scratch.items[size] = passItems[offset + b];
                scratch.scores[size] = passScores[offset + b];
                scratch.tags[size] = passTags[offset + b];
                b++;
            }
            size++;
        }
        System.arraycopy(scratch.items, 0, items, base, size);
        System.arraycopy(scratch.scores, 0, scores, base, size);
        System.arraycopy(scratch.tags, 0, tags, base, size);
        System.arraycopy(scratch.items, 0, passItems, offset, size);
        System.arraycopy(scratch.scores, 0, passScores, offset, size);
        System.arraycopy(scratch.tags, 0, passTags, offset, size);
        counts[row] = size;
        return size;
    }

    private static boolean better(float score, int item, float otherScore, int otherItem) {
        return score > otherScore || (score == otherScore && item < otherItem);
    }
}
