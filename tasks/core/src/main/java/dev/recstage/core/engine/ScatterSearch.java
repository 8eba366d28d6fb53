package dev.recstage.core.engine;

/**
 * The unpruned search: scatters row i through the inverted index into a dense accumulator.
 *
 * <p>Row i's columns are visited in ascending order and each contributes
 * {@code (double) a_it * a_jt} to every row j of its posting list, so each accumulator ends
 * holding exactly the canonical sum. A touched list remembers which rows to score and reset, so
 * the cost per row is proportional to the postings visited, not to N. The candidates are ranked
 * by {@link CandidateOrder}; when a row touches many rows, only those at or above a bar guessed
 * from a sample ({@link SampledBar}) are handed to it, which selects the same K.
 */
final class ScatterSearch implements RowSearch {

    private final CsrMatrix a;
    private final CsrMatrix aT;
    private final PairScorer scorer;
    private final double[] acc;
    /** Common-column counts; null when neither the scorer nor touched-detection needs them. */
    private final int[] common;
    private final int[] touched;
    /** Scores sampled from the touched rows to guess the bar of the ranking. */
    private final float[] sample = new float[SampledBar.MAX_SAMPLE];
    private final CandidateOrder order;
    /** Rows the last search touched: their sums stay for {@link #scoreAtMost} until the next search resets them. */
    private int lastTouched;
    private long postings;
    private long candidates;

    /**
     * @param a     the matrix
     * @param aT    its transpose
     * @param order ranks the candidates; may be shared with a search that runs on the same thread
     */
    ScatterSearch(CsrMatrix a, CsrMatrix aT, PairScorer scorer, CandidateOrder order) {
        this.a = a;
        this.aT = aT;
        this.scorer = scorer;
        this.acc = new double[a.rows];
        // With only positive values a touched accumulator is never 0, so it marks itself;
        // otherwise sums can cancel to 0 and the count marks first touches instead.
        this.common = needsCounts(a, scorer) ? new int[a.rows] : null;
        this.touched = new int[a.rows + 1]; // + 1: the branch-free append writes one slot ahead
        this.order = order;
    }

    static boolean needsCounts(CsrMatrix a, PairScorer scorer) {
        return scorer.needsCommon() || !a.isPositive();
    }

    @Override
    public int search(int i, int[] outNeighbor, float[] outScore, int offset) {
        int touchedCount = scatterAfterReset(i);
        return rank(i, touchedCount, outNeighbor, outScore, offset);
    }

    /** Row i's sums, once the last search's are reset; keeps their count for the next reset. */
    private int scatterAfterReset(int i) {
        reset(lastTouched);
        lastTouched = common == null ? scatter(i) : scatterCounting(i);
        return lastTouched;
    }

    /** Exact for a plain dot product (a row that shares no column scores 0); ∞ for other scorers. */
    @Override
    public float scoreAtMost(int j) {
        return common == null ? (float) acc[j] : Float.POSITIVE_INFINITY;
    }

    /** Ranks row i's scattered rows into its top K, written from {@code offset}; returns how many. */
    private int rank(int i, int touchedCount, int[] outNeighbor, float[] outScore, int offset) {
        int nnzI = a.rowNnz(i);
        float bar = guessBar(i, nnzI, touchedCount);
        if (offerFrom(i, nnzI, touchedCount, bar) < order.k()) {
            offerBelow(i, nnzI, touchedCount, bar); // the guess was too high: rank the rest too
        }
        int count = order.sortBest();
        for (int r = 0; r < count; r++) {
            int j = order.neighbor(r);
            outNeighbor[offset + r] = j;
            outScore[offset + r] = score(nnzI, j); // the key holds -0 as +0: the exact float is rescored
        }
        return count;
    }

    /**
     * A score that about 4K of the touched rows reach ({@link SampledBar}), so that only those are
     * ranked instead of every touched row; -∞ (rank them all) when there are too few to narrow.
     */
    private float guessBar(int i, int nnzI, int touchedCount) {
        int stride = SampledBar.stride(touchedCount);
        int size = 0;
        for (int x = 0; x < touchedCount; x += stride) {
            int j = touched[x];
            float s = j == i ? Float.NaN : score(nnzI, j);
            if (!Float.isNaN(s)) {
                sample[size++] = s;
            }
        }
        return SampledBar.guess(sample, size, touchedCount, order.k(), Float.NEGATIVE_INFINITY);
    }

    /** Adds to the order every touched row j ≠ i scored at least {@code bar}; returns how many. */
    private int offerFrom(int i, int nnzI, int touchedCount, float bar) {
        int offered = 0;
        for (int x = 0; x < touchedCount; x++) {
            int j = touched[x];
            if (j != i) {
                candidates++;
                float s = score(nnzI, j);
                if (s >= bar) { // false for NaN: pairs that are no candidates
                    order.add(j, s);
                    offered++;
                }
            }
        }
        return offered;
    }

    /** Adds to the order every touched row j ≠ i scored below {@code bar} (NaN-scored pairs skipped). */
    private void offerBelow(int i, int nnzI, int touchedCount, float bar) {
        for (int x = 0; x < touchedCount; x++) {
            int j = touched[x];
            if (j != i) {
                float s = score(nnzI, j);
                if (s < bar) {
                    order.add(j, s);
                }
            }
        }
    }

    /**
     * Hands every row j ≠ i that shares a column with row i to {@code scores} with the score
     * {@link #search} ranks it by (NaN-scored pairs skipped), in no particular order, and writes row
     * i's top K as {@link #search} does, from one scatter. Returns the top K's length.
     */
    int forEachScoreAndTopK(int i, ExactRows.ScoreConsumer scores, int[] outNeighbor, float[] outScore) {
        int touchedCount = scatterAfterReset(i);
        int nnzI = a.rowNnz(i);
        for (int x = 0; x < touchedCount; x++) {
            int j = touched[x];
            if (j != i) {
                float s = score(nnzI, j);
                if (!Float.isNaN(s)) {
                    scores.accept(j, s);
                }
            }
        }
        return rank(i, touchedCount, outNeighbor, outScore, 0);
    }

    private int scatter(int i) {
        final double[] acc = this.acc;
        final int[] touched = this.touched;
        final int[] postPtr = aT.rowPtr;
        final int[] postRow = aT.colIdx;
        final float[] postVal = aT.values;
        int n = 0;
        for (int p = a.rowPtr[i], end = a.rowPtr[i + 1]; p < end; p++) {
            double w = a.values[p];
            int t = a.colIdx[p];
            int qEnd = postPtr[t + 1];
            for (int q = postPtr[t]; q < qEnd; q++) {
                int j = postRow[q];
                double before = acc[j];
                touched[n] = j; // kept only on a first touch: no branch to mispredict
                n += before == 0.0 ? 1 : 0;
                acc[j] = before + w * postVal[q];
            }
            postings += qEnd - postPtr[t];
        }
        return n;
    }

    private int scatterCounting(int i) {
        final double[] acc = this.acc;
        final int[] common = this.common;
        final int[] touched = this.touched;
        final int[] postPtr = aT.rowPtr;
        final int[] postRow = aT.colIdx;
        final float[] postVal = aT.values;
        int n = 0;
        for (int p = a.rowPtr[i], end = a.rowPtr[i + 1]; p < end; p++) {
            double w = a.values[p];
            int t = a.colIdx[p];
            int qEnd = postPtr[t + 1];
            for (int q = postPtr[t]; q < qEnd; q++) {
                int j = postRow[q];
                touched[n] = j;
                n += common[j]++ == 0 ? 1 : 0;
                acc[j] += w * postVal[q];
            }
            postings += qEnd - postPtr[t];
        }
        return n;
    }

    private void reset(int n) {
        for (int x = 0; x < n; x++) {
            int j = touched[x];
            acc[j] = 0.0;
            if (common != null) {
                common[j] = 0;
            }
        }
    }

    /**
     * Row j's score against row i, or NaN when the rows share too few columns to be neighbours.
     * Without counts the scorer is a plain dot product (see {@link #needsCounts}).
     */
    private float score(int nnzI, int j) {
        if (common == null) {
            return (float) acc[j];
        }
        int c = common[j];
        return c >= scorer.minCommon() ? scorer.score(nnzI, a.rowNnz(j), (float) acc[j], c) : Float.NaN;
    }

    @Override
    public long postingsScanned() {
        return postings;
    }

    @Override
    public long candidates() {
        return candidates;
    }

    @Override
    public long rescored() {
        return 0;
    }

    @Override
    public long earlyStops() {
        return 0;
    }
}
