package dev.recstage.content.incremental;

import dev.recstage.core.engine.ExactRows;
import dev.recstage.core.engine.NeighborSink;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The top-K neighbours of a changed catalogue from the previous run's lists, scored with the same
 * model, equal to a full run's output bit for bit.
 *
 * <p>With the model fixed an unchanged item's row and its scores against other unchanged items do
 * not change, and scores are symmetric (the canonical dot product sums over common columns in
 * column order). So an unchanged item's new list comes from its previous list without the gone
 * items (removed or changed) and its scores against the dirty items (new or changed), which the
 * dirty items' rows give in both directions. The previous list holds the best C = K + spares of
 * the old catalogue; when it was cut at C (full), every item it left out ranks below its last
 * entry t. So the merged list is exact when it holds at least K entries that rank above every
 * left-out item: entries ranking at or above t (strictly above t's score when t itself is gone,
 * since its tie position is lost). A row short of K such entries was "knocked out" by the gone
 * items and is scored whole, as are the dirty rows. A list shorter than C held every item
 * overlapping the row, so it never needs a refill. Ties rank by item index, which keeps its order
 * only when the unchanged items keep theirs ({@link CatalogueChanges#orderKept()}).
 *
 * <p>Cost: the dirty and knocked rows' scatters plus two streaming passes over the previous table,
 * instead of every row's scatter. Memory: O(N) for thresholds, flags and one row's scratch, plus
 * the candidate pairs that can enter some list (each at least that list's previous last score).
 */
public final class IncrementalMerge {

    /** What a merge did: rows scored whole (dirty, knocked) and dirty-item pairs kept as candidates. */
    public record Stats(int dirtyRows, int knockedRows, long candidatePairs) {
    }

    private IncrementalMerge() {
    }

    /**
     * @param exact    rows of the new catalogue's matrix (cosine), K as the previous run's
     * @param capacity C, the previous lists' longest length: K plus the spares the previous run kept
     * @param changes  the catalogue's changes since the previous run; {@link CatalogueChanges#orderKept()} must hold
     * @param previous opens the previous lists (read twice)
     * @param sink     receives every new row in order, as {@code TopKEngine} would
     */
    public static Stats run(ExactRows exact, int capacity, CatalogueChanges changes, Supplier<PreviousNeighbors> previous,
                            NeighborSink sink) {
        if (!changes.orderKept()) {
            throw new IllegalArgumentException("the unchanged items are reordered: ties would break differently, run in full");
        }
        int k = exact.k();
        int items = changes.newItems();
        // Per unchanged row whose previous list was full: its last entry t (score; new index, -1 when gone).
        float[] lastScore = new float[items];
        Arrays.fill(lastScore, Float.NEGATIVE_INFINITY);
        int[] lastItem = new int[items];
        Arrays.fill(lastItem, -1);
        try (PreviousNeighbors lists = previous.get()) {
            while (lists.next()) {
                int row = changes.newOfOld(lists.item());
                if (row >= 0 && lists.count() == capacity) {
                    lastScore[row] = lists.scores()[capacity - 1];
                    lastItem[row] = changes.newOfOld(lists.neighbors()[capacity - 1]);
                }
            }
        }

        Candidates candidates = new Candidates(items);
        int dirtyRows = 0;
        for (int d = 0; d < items; d++) {
            if (changes.dirty(d)) {
                dirtyRows++;
                int dirty = d;
                exact.forEachScore(d, (j, score) -> {
                    if (!changes.dirty(j) && score >= lastScore[j]) {
                        candidates.add(j, dirty, score);
                    }
                });
            }
        }
        candidates.groupByRow();

        int[] neighbors = new int[capacity + candidates.mostPerRow()];
        float[] scores = new float[neighbors.length];
        int[] outNeighbors = new int[k];
        float[] outScores = new float[k];
        int knockedRows = 0;
        try (PreviousNeighbors lists = previous.get()) {
            boolean more = lists.next();
            for (int i = 0; i < items; i++) {
                int count;
                if (changes.dirty(i)) {
                    count = exact.topK(i, outNeighbors, outScores);
                } else {
                    int old = changes.oldOfNew(i);
                    while (more && lists.item() < old) {
                        more = lists.next();
                    }
                    int n = 0;
                    boolean lostAny = false;
                    if (more && lists.item() == old) {
                        for (int r = 0; r < lists.count(); r++) {
                            int neighbor = changes.newOfOld(lists.neighbors()[r]);
                            if (neighbor >= 0) {
                                neighbors[n] = neighbor;
                                scores[n++] = lists.scores()[r];
                            } else {
                                lostAny = true;
                            }
                        }
                    }
                    n = candidates.copyRow(i, neighbors, scores, n);
                    if (lostAny && lastScore[i] != Float.NEGATIVE_INFINITY
                            && rankingAbove(neighbors, scores, n, lastScore[i], lastItem[i]) < k) {
                        knockedRows++;
                        count = exact.topK(i, outNeighbors, outScores);
                    } else {
                        count = exact.best(neighbors, scores, n, outNeighbors, outScores);
                    }
                }
                sink.accept(i, outNeighbors, outScores, count);
            }
        }
        return new Stats(dirtyRows, knockedRows, candidates.size());
    }

    /**
     * How many entries rank at or above the previous list's last entry t (score {@code score}, new
     * index {@code item}), i.e. above every item the list left out; strictly above t's score when t is gone.
     */
    private static int rankingAbove(int[] neighbors, float[] scores, int count, float score, int item) {
        int above = 0;
        for (int x = 0; x < count; x++) {
            if (scores[x] > score || (scores[x] == score && item >= 0 && neighbors[x] <= item)) {
                above++;
            }
        }
        return above;
    }

    /** (row, dirty item, score) triples, then grouped by row with a counting sort. */
    private static final class Candidates {
        private final int[] start;
        private int[] row = new int[1024];
        private int[] item = new int[1024];
        private float[] score = new float[1024];
        private int size;
        private int[] sortedItem;
        private float[] sortedScore;

        Candidates(int rows) {
            this.start = new int[rows + 1];
        }

        void add(int r, int i, float s) {
            if (size == row.length) {
                int capacity = size * 2;
                row = Arrays.copyOf(row, capacity);
                item = Arrays.copyOf(item, capacity);
                score = Arrays.copyOf(score, capacity);
            }
            row[size] = r;
            item[size] = i;
            score[size++] = s;
        }

        void groupByRow() {
            for (int x = 0; x < size; x++) {
                start[row[x] + 1]++;
            }
            for (int r = 0; r + 1 < start.length; r++) {
                start[r + 1] += start[r];
            }
            int[] fill = Arrays.copyOf(start, start.length - 1);
            sortedItem = new int[size];
            sortedScore = new float[size];
            for (int x = 0; x < size; x++) {
                int at = fill[row[x]]++;
                sortedItem[at] = item[x];
                sortedScore[at] = score[x];
            }
            row = null;
            item = null;
            score = null;
        }

        int mostPerRow() {
            int most = 0;
            for (int r = 0; r + 1 < start.length; r++) {
                most = Math.max(most, start[r + 1] - start[r]);
            }
            return most;
        }

        /** Appends row r's candidates to the arrays from {@code at}; returns the new length. */
        int copyRow(int r, int[] neighbors, float[] scores, int at) {
            for (int x = start[r]; x < start[r + 1]; x++) {
                neighbors[at] = sortedItem[x];
                scores[at++] = sortedScore[x];
            }
            return at;
        }

        long size() {
            return size;
        }
    }
}
