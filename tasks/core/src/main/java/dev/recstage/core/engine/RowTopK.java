package dev.recstage.core.engine;

/**
 * One thread's top-K search of single rows, for a caller that runs its own loop over the rows (the
 * HNSW blend takes each row's text top K beside its vector search). Its lists are those of
 * {@link TopKEngine#run} for the same matrix, scorer and K, bit for bit. Made by
 * {@link TopKEngine#rowSearches}; not to be shared between threads.
 */
public final class RowTopK {
    private final RowSearch search;

    RowTopK(RowSearch search) {
        this.search = search;
    }

    /** Writes row {@code i}'s neighbours best first into the arrays from {@code offset}; returns how many (at most K). */
    public int search(int i, int[] neighbors, float[] scores, int offset) {
        return search.search(i, neighbors, scores, offset);
    }

    /**
     * After {@link #search} of row i, until the next search: at least row i's score with row j
     * (any j but i), so that a caller can rule out a row without scoring it; for some matrices and
     * scorers only ∞.
     */
    public float scoreAtMost(int j) {
        return search.scoreAtMost(j);
    }
}
