package dev.recstage.content.incremental;

import dev.recstage.core.engine.ExactRows;
import dev.recstage.core.engine.NeighborSink;
import dev.recstage.core.engine.Workers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;

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
 * <p>Cost: one scatter per dirty row (its pairs and its own top K, on every worker thread), one per
 * knocked row, and two streaming passes over the previous table, instead of every row's scatter.
 * Memory: O(N) for thresholds, flags and each worker's scratch, the candidate pairs that can enter
 * some list (each at least that list's previous last score), and the dirty rows' top K lists when
 * they fit the bytes the caller allows.
 */
public final class IncrementalMerge {

    /** What a merge did: rows scored whole (dirty, knocked) and dirty-item pairs kept as candidates. */
    public record Stats(int dirtyRows, int knockedRows, long candidatePairs) {
    }

    private IncrementalMerge() {
    }

    /**
     * @param workers  one {@link ExactRows} per thread over the new catalogue's matrix (cosine), K as
     *                 the previous run's; the dirty rows are scored on all of them, the rest on the first
     * @param capacity C, the previous lists' longest length: K plus the spares the previous run kept
     * @param changes  the catalogue's changes since the previous run; {@link CatalogueChanges#orderKept()} must hold
     * @param previous opens the previous lists (read twice)
     * @param sink     receives every new row in order, as {@code TopKEngine} would
     * @param keptBytes the most heap the dirty rows' top K lists may take to be kept from their first
     *                  scatter (8 bytes an entry); when they need more, each is scored again in row order
     */
    public static Stats run(ExactRows[] workers, int capacity, CatalogueChanges changes, Supplier<PreviousNeighbors> previous,
                            NeighborSink sink, long keptBytes) {
        if (!changes.orderKept()) {
            throw new IllegalArgumentException("the unchanged items are reordered: ties would break differently, run in full");
        }
        ExactRows exact = workers[0];
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

        // The dirty rows are scored whole: no dirty item's pair is a candidate of theirs (one array read per pair below).
        for (int d = 0; d < items; d++) {
            if (changes.dirty(d)) {
                lastScore[d] = Float.POSITIVE_INFINITY;
            }
        }
        DirtyRows dirty = DirtyRows.score(workers, changes, lastScore, keptBytes);
        Candidates candidates = dirty.candidates();

        int[] neighbors = new int[capacity + candidates.mostPerRow()];
        float[] scores = new float[neighbors.length];
        int[] outNeighbors = new int[k];
        float[] outScores = new float[k];
        int knockedRows = 0;
        try (PreviousNeighbors lists = previous.get()) {
            boolean more = lists.next();
            for (int i = 0, ordinal = 0; i < items; i++) {
                int count;
                if (changes.dirty(i)) {
                    count = dirty.topK(ordinal++, i, outNeighbors, outScores);
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
        return new Stats(dirty.count(), knockedRows, candidates.size());
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

    /** One worker's (row, dirty item, score) triples: pairs that may enter an unchanged row's list. */
    private static final class Triples {
        private int[] row = new int[1024];
        private int[] item = new int[1024];
        private float[] score = new float[1024];
        private int size;

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
    }

    /**
     * The dirty rows scored on every worker, each once: the pairs they give the unchanged rows
     * (both directions of a symmetric score) and, when their lists fit the bytes allowed, their own
     * top K from the same scatter; else their top K is scored again in row order ({@link #topK}).
     */
    private static final class DirtyRows {
        private final ExactRows exact;
        private final int k;
        private final int[] rows;
        private final int[] keptCount;
        private final int[] keptNeighbors;
        private final float[] keptScores;
        private Candidates candidates;

        private DirtyRows(ExactRows exact, int[] rows, boolean keep) {
            this.exact = exact;
            this.k = exact.k();
            this.rows = rows;
            this.keptCount = keep ? new int[rows.length] : null;
            this.keptNeighbors = keep ? new int[Math.multiplyExact(rows.length, k)] : null;
            this.keptScores = keep ? new float[keptNeighbors.length] : null;
        }

        static DirtyRows score(ExactRows[] workers, CatalogueChanges changes, float[] lastScore, long keptBytes) {
            int items = changes.newItems();
            int[] rows = IntStream.range(0, items).filter(changes::dirty).toArray();
            DirtyRows dirty = new DirtyRows(workers[0], rows, 8L * rows.length * workers[0].k() <= keptBytes);
            Triples[] found = new Triples[workers.length];
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> running = new ArrayList<>();
            ExecutorService pool = workers.length > 1 ? Executors.newFixedThreadPool(workers.length - 1, DirtyRows::workerThread) : null;
            try {
                for (int w = 1; w < workers.length; w++) {
                    int worker = w;
                    running.add(pool.submit(() -> found[worker] = dirty.scoreRows(workers[worker], next, lastScore)));
                }
                try {
                    found[0] = dirty.scoreRows(workers[0], next, lastScore);
                } finally {
                    Workers.awaitAll(running);
                }
            } finally {
                if (pool != null) {
                    pool.shutdownNow();
                }
            }
            dirty.candidates = Candidates.grouped(items, found);
            return dirty;
        }

        private Triples scoreRows(ExactRows rowsOf, AtomicInteger next, float[] lastScore) {
            Triples triples = new Triples();
            int[] topNeighbors = new int[k];
            float[] topScores = new float[k];
            for (int o = next.getAndIncrement(); o < rows.length; o = next.getAndIncrement()) {
                int d = rows[o];
                int count = rowsOf.forEachScoreAndTopK(d, (j, score) -> {
                    if (score >= lastScore[j]) { // +∞ for dirty rows
                        triples.add(j, d, score);
                    }
                }, topNeighbors, topScores);
                if (keptCount != null) {
                    keptCount[o] = count;
                    System.arraycopy(topNeighbors, 0, keptNeighbors, o * k, count);
                    System.arraycopy(topScores, 0, keptScores, o * k, count);
                }
            }
            return triples;
        }

        Candidates candidates() {
            return candidates;
        }

        int count() {
            return rows.length;
        }

        /** The top K of dirty row {@code i}, the {@code ordinal}-th: kept, or scored now. */
        int topK(int ordinal, int i, int[] outNeighbors, float[] outScores) {
            if (keptCount == null) {
                return exact.topK(i, outNeighbors, outScores);
            }
            int count = keptCount[ordinal];
            System.arraycopy(keptNeighbors, ordinal * k, outNeighbors, 0, count);
            System.arraycopy(keptScores, ordinal * k, outScores, 0, count);
            return count;
        }

        private static Thread workerThread(Runnable r) {
            Thread t = new Thread(r, "incremental-worker");
            t.setDaemon(true);
            return t;
        }
    }

    /**
     * The workers' triples grouped by row with a counting sort. A row's candidates come in no fixed
     * order (it depends on which worker scored which dirty row); {@link ExactRows#best} ranks them
     * by score and index, so the lists do not depend on it.
     */
    private static final class Candidates {
        private final int[] start;
        private final int[] sortedItem;
        private final float[] sortedScore;

        private Candidates(int[] start, int[] sortedItem, float[] sortedScore) {
            this.start = start;
            this.sortedItem = sortedItem;
            this.sortedScore = sortedScore;
        }

        static Candidates grouped(int rows, Triples[] found) {
            int[] start = new int[rows + 1];
            int size = 0;
            for (Triples triples : found) {
                for (int x = 0; x < triples.size; x++) {
                    start[triples.row[x] + 1]++;
                }
                size += triples.size;
            }
            for (int r = 0; r < rows; r++) {
                start[r + 1] += start[r];
            }
            int[] fill = Arrays.copyOf(start, rows);
            int[] sortedItem = new int[size];
            float[] sortedScore = new float[size];
            for (int w = 0; w < found.length; w++) {
                Triples triples = found[w];
                found[w] = null; // let each worker's triples go once copied
                for (int x = 0; x < triples.size; x++) {
                    int at = fill[triples.row[x]]++;
                    sortedItem[at] = triples.item[x];
                    sortedScore[at] = triples.score[x];
                }
            }
            return new Candidates(start, sortedItem, sortedScore);
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
            return sortedItem.length;
        }
    }
}
