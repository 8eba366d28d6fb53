package dev.recstage.core.engine;

/**
 * Finds the top-K neighbours of one row at a time. An instance owns per-thread scratch space
 * (dense accumulators sized by the number of rows) and must be used by one thread at a time.
 */
interface RowSearch {

    /**
     * Writes row {@code i}'s neighbours best first into the arrays from {@code offset} and returns
     * how many (at most K).
     */
    int search(int i, int[] outNeighbor, float[] outScore, int offset);

    /**
     * After {@link #search} of row i, until the next search: at least row i's score with row j,
     * which is never a neighbour of row i when this is below the list's last score (equal or ∞
     * when this search keeps no bound).
     */
    default float scoreAtMost(int j) {
        return Float.POSITIVE_INFINITY;
    }

    long postingsScanned();

    long candidates();

    /** Multiply-adds of dense passes over common columns (approximating search only). */
    default long denseOps() {
        return 0;
    }

    /** Rows whose neighbours were found through the approximation (approximating search only). */
    default long approximatedRows() {
        return 0;
    }

    long rescored();

    long earlyStops();
}
