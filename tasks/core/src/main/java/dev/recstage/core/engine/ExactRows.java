package dev.recstage.core.engine;

/**
 * Single rows of the engine's problem, for work that touches a few chosen rows instead of a range
 * (the incremental content update): a row's top K exactly as {@link TopKEngine} emits it, every
 * score of a row, and the K best of a given candidate list in the engine's order (score descending,
 * equal scores by smaller index). Uses the plain scatter, which every search of the engine
 * equals bit for bit. Scratch space: O(N) per instance, one thread at a time.
 */
public final class ExactRows {

    /** Receives one scored pair (i, j) of {@link #forEachScoreAndTopK}. */
    @FunctionalInterface
    public interface ScoreConsumer {
        void accept(int j, float score);
    }

    private final ScatterSearch search;
    private final CandidateOrder merge;
    private final int k;

    public ExactRows(CsrMatrix a, CsrMatrix aT, PairScorer scorer, int k) {
        if (!a.isTransposeOf(aT)) {
            throw new IllegalArgumentException("aT is not the transpose of a");
        }
        this.search = new ScatterSearch(a, aT, scorer, new CandidateOrder(a.rows, k));
        this.merge = new CandidateOrder(a.rows, k);
        this.k = k;
    }

    /** Heap bytes of one instance over {@code rows} rows: accumulators, touched list, sampled scores, two orders. */
    public static long bytesFor(long rows) {
        return 8 * rows + 4 * (rows + 1) + SampledBar.bytes() + 2 * CandidateOrder.bytesFor(rows);
    }

    /** Row i's top K into the arrays from 0, best first; returns how many. */
    public int topK(int i, int[] outNeighbor, float[] outScore) {
        return search.search(i, outNeighbor, outScore, 0);
    }

    /**
     * Every j ≠ i sharing a column with row i, with s(i, j) (the score is symmetric: s(i, j) == s(j, i)),
     * and row i's top K into the arrays from 0 as {@link #topK} writes it, from one scatter; returns the top K's length.
     */
    public int forEachScoreAndTopK(int i, ScoreConsumer scores, int[] outNeighbor, float[] outScore) {
        return search.forEachScoreAndTopK(i, scores, outNeighbor, outScore);
    }

    /**
     * The K best of {@code count} candidates (distinct neighbours, scores not NaN) into the out
     * arrays from 0, in the engine's order; returns how many. The input arrays may be the output ones.
     * Scores come back as given, except -0 as +0 (which a positive matrix such as TF-IDF never scores).
     */
    public int best(int[] neighbors, float[] scores, int count, int[] outNeighbor, float[] outScore) {
        for (int x = 0; x < count; x++) {
            merge.add(neighbors[x], scores[x]);
        }
        return merge.sortBestInto(outNeighbor, outScore, 0);
    }

    public int k() {
        return k;
    }
}
