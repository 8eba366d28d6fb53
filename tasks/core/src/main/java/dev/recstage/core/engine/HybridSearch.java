package dev.recstage.core.engine;

import java.util.Arrays;

/**
 * The search for a plain dot product on a matrix of positive values with {@link CommonColumns}:
 * approximate all scores of row i in float, the common columns by dense vectorised passes and the
 * rare ones by scattering their short posting lists; select the K-th best approximate score θ̃;
 * score exactly (canonical sum by column) only the rows whose approximation could still reach the
 * exact K-th best; rank those with a {@link CandidateOrder}. The output equals {@link ScatterSearch}'s bit for bit.
 *
 * <p>Rows without a common column, rows too long for the error bound and rows whose bound does not
 * narrow the candidates (the K-th best approximation is too small, or fewer than K other rows)
 * take the exact scatter instead.
 *
 * <p><b>Why no true neighbour is missed.</b> Let n = nnz_i, S_j = Σ_k a_ik·a_jk (exact, over the
 * common columns of i and j, every term ≥ 0), u = 2^-24. The approximation sums n float products
 * in float: by the standard bound for sums of non-negative terms, |approx_j − S_j| ≤ γ_n·S_j plus
 * at most 2^-150 per operation that lands in the subnormal range (2n of them, each amplified by at
 * most (1+u)^n ≤ 2). The canonical score sums exact double products in double (|error| ≤
 * γ'_n·S_j, u' = 2^-53, no underflow: products of floats are ≥ 2^-298) and rounds once to float
 * (relative u, or absolute 2^-150 if subnormal). With n ≤ {@link #MAX_TERMS} (so n·u ≤ 2^-8) both
 * are within E·S_j + H of S_j, with E = 2n·u and H = n·2^-140. Hence
 * {@code low(x) = (x − H)(1−E)/(1+E) − H ≤ canonical ≤ (x + H)(1+E)/(1−E) + H = high(x)} for
 * x = approx_j. The K rows j ≠ i with approx_j ≥ θ̃ > 0 overlap row i (a positive sum has a
 * term), so the exact K-th best score θ is at least low(θ̃). A row with high(approx_j) < low(θ̃)
 * is therefore strictly below θ — beaten by K rows whatever the tie rule — and is skipped. That
 * is approx_j < ((θ̃ − H)r − 2H)r − H with r = (1−E)/(1+E), which is at least
 * {@code θ̃(1 − 4E) − 4H}; the search uses {@code θ̃(1 − 5E) − 5H} so that the double arithmetic
 * computing it cannot round it above the bound. Values are capped at {@link #MAX_VALUE} so that no
 * sum overflows a float.
 */
final class HybridSearch implements RowSearch {

    /** Longest row scored by the float approximation (keeps n·u ≤ 2^-8 in the error bound). */
    static final int MAX_TERMS = 1 << 16;
    /** Largest value of A for which the approximation applies: sums stay far below Float.MAX_VALUE. */
    static final float MAX_VALUE = 0x1p32f;
    private static final double U = 0x1p-24;
    private static final double TINY = 0x1p-140;

    private final CsrMatrix a;
    private final CsrMatrix aT;
    private final CommonColumns common;
    private final ScatterSearch exact;
    private final int k;
    private final float[] acc;
    /** Scratch for the sampled and the collected approximations. */
    private final float[] values;
    private final int[] candidate;
    /** Row i spread over the columns (to score candidates by row j alone). */
    private final RowDots rowI;
    /** Ranks the rescored candidates; shared with the exact fallback, which runs on the same thread. */
    private final CandidateOrder order;
    private final RowDots.Sums offerToOrder = this::offer;
    /** Length of the last row searched when acc holds its approximations (until the next search); -1 when the exact search scored it. */
    private int approximatedNnz = -1;
    private long postings;
    private long denseOps;
    private long candidates;
    private long approximatedRows;

    HybridSearch(CsrMatrix a, CsrMatrix aT, CommonColumns common, int k) {
        this.a = a;
        this.aT = aT;
        this.common = common;
        this.order = new CandidateOrder(a.rows, k);
        this.exact = new ScatterSearch(a, aT, PairScorer.dot(), order);
        this.k = k;
        this.acc = new float[a.rows];
        this.values = new float[a.rows];
        this.candidate = new int[a.rows];
        this.rowI = new RowDots(a);
    }

    /** Whether the approximation's error bound holds for this matrix (positive values, none huge). */
    static boolean applies(CsrMatrix a) {
        if (!a.isPositive()) {
            return false;
        }
        for (float v : a.values) {
            if (v > MAX_VALUE) {
                return false;
            }
        }
        return true;
    }

    /** Scratch bytes of one search besides its exact fallback (and the order they share): three N-arrays and row i over the columns. */
    static long bytesFor(long rows, long cols) {
        return 12L * rows + RowDots.bytesFor(cols);
    }

    @Override
    public int search(int i, int[] outNeighbor, float[] outScore, int offset) {
        if (approximatedNnz >= 0) {
            Arrays.fill(acc, 0f);
            approximatedNnz = -1;
        }
        int n = a.rowNnz(i);
        if (n > MAX_TERMS || !hasCommonColumn(i)) {
            return exactly(i, outNeighbor, outScore, offset);
        }
        approximate(i);
        acc[i] = 0f; // never its own neighbour; a 0 never reaches a positive θ̃
        int count = candidates(n);
        if (count < 0) {
            Arrays.fill(acc, 0f);
            return exactly(i, outNeighbor, outScore, offset);
        }
        approximatedNnz = n; // acc is cleared by the next search: scoreAtMost reads it until then
        approximatedRows++;
        scoreCandidates(i, count);
        return order.sortBestInto(outNeighbor, outScore, offset); // positive sums: never -0
    }

    /**
     * For an approximated row, high(acc[j]) of the class comment, loosened to x(1 + 5E) + 5H so that
     * computing it in double and rounding up to float cannot fall below it
     * ((1+E)/(1−E) ≤ 1 + 2.02E for E ≤ 2^-7); for a row the exact search scored, its exact score.
     */
    @Override
    public float scoreAtMost(int j) {
        if (approximatedNnz < 0) {
            return exact.scoreAtMost(j);
        }
        double e = 2.0 * approximatedNnz * U;
        double h = approximatedNnz * TINY;
        return Math.nextUp((float) (acc[j] * (1 + 5 * e) + 5 * h));
    }

    private int exactly(int i, int[] outNeighbor, float[] outScore, int offset) {
        return exact.search(i, outNeighbor, outScore, offset);
    }

    private boolean hasCommonColumn(int i) {
        for (int p = a.rowPtr[i], end = a.rowPtr[i + 1]; p < end; p++) {
            if (common.slot[a.colIdx[p]] >= 0) {
                return true;
            }
        }
        return false;
    }

    /** acc[j] = float approximation of S_j for every row j. */
    private void approximate(int i) {
        final float[] acc = this.acc;
        final int[] postPtr = aT.rowPtr;
        final int[] postRow = aT.colIdx;
        final float[] postVal = aT.values;
        for (int p = a.rowPtr[i], end = a.rowPtr[i + 1]; p < end; p++) {
            float w = a.values[p];
            int t = a.colIdx[p];
            int s = common.slot[t];
            if (s >= 0) {
                axpy(w, common.dense[s], acc);
                denseOps += acc.length;
            } else {
                int qEnd = postPtr[t + 1];
                for (int q = postPtr[t]; q < qEnd; q++) {
                    acc[postRow[q]] += w * postVal[q];
                }
                postings += qEnd - postPtr[t];
            }
        }
    }

    /** acc += w·column: one contiguous loop the JIT vectorises. */
    private static void axpy(float w, float[] column, float[] acc) {
        for (int j = 0; j < acc.length; j++) {
            acc[j] += w * column[j];
        }
    }

    /**
     * Lists in {@link #candidate} the rows whose approximation reaches the cutoff of θ̃, the K-th
     * best approximation, and returns how many; -1 when θ̃ is not positive or its cutoff does not
     * narrow the candidates (the caller then scores the row exactly).
     *
     * <p>θ̃ is found without a heap pass: a strided sample guesses a value below it; one
     * pass collects every row at or above the cutoff of that guess; when at least K were collected
     * θ̃ is the K-th best of them. A guess that was too high (fewer than K collected, or θ̃'s cutoff
     * below the guess's) costs one more pass with the right bar.
     */
    private int candidates(int n) {
        float bar = bar(sampledGuess(), n);
        int found = collect(bar);
        if (found < k && bar > Float.MIN_VALUE) {
            bar = Float.MIN_VALUE; // every row with a positive approximation
            found = collect(bar);
        }
        if (found < k) {
            return -1;
        }
        float kth = kthBest(found);
        double cutoff = cutoff(kth, n);
        if (cutoff <= 0) {
            return -1;
        }
        float needed = bar(kth, n);
        if (needed < bar) {
            found = collect(needed);
        }
        return keepAtLeast(cutoff, found);
    }

    /**
     * A value that about 4K rows reach (see {@link SampledBar}), from every few rows; 0 when K is
     * too large a share of N for the sample to say anything (then the pass collects every positive row).
     */
    private float sampledGuess() {
        int rows = acc.length;
        int stride = SampledBar.stride(rows);
        int size = 0;
        for (int j = 0; j < rows; j += stride) {
            values[size++] = acc[j];
        }
        return SampledBar.guess(values, size, rows, k, 0f);
    }

    /** The float the collecting pass compares with: rounded down so that it never drops a row the cutoff keeps. */
    private static float bar(float kthBest, int n) {
        double cutoff = cutoff(kthBest, n);
        return cutoff > 0 ? Math.nextDown((float) cutoff) : Float.MIN_VALUE;
    }

    /** Lists the rows with an approximation of at least {@code bar} in {@link #candidate}. */
    private int collect(float bar) {
        final float[] acc = this.acc;
        final int[] candidate = this.candidate;
        int found = 0;
        for (int j = 0; j < acc.length; j++) {
            if (acc[j] >= bar) {
                candidate[found++] = j;
            }
        }
        return found;
    }

    /** The K-th best approximation among the {@code found} listed rows (found ≥ K). */
    private float kthBest(int found) {
        for (int x = 0; x < found; x++) {
            values[x] = acc[candidate[x]];
        }
        return FloatSelect.largest(values, found, k);
    }

    /** The smallest approximation that can still belong to the top K (see the class comment). */
    private static double cutoff(float kthBest, int n) {
        double e = 2.0 * n * U;
        double h = n * TINY;
        return kthBest * (1 - 5 * e) - 5 * h;
    }

    /** Compacts the candidate list to the rows whose approximation reaches the cutoff. */
    private int keepAtLeast(double cutoff, int found) {
        int count = 0;
        for (int x = 0; x < found; x++) {
            int j = candidate[x];
            if (acc[j] >= cutoff) {
                candidate[count++] = j;
            }
        }
        return count;
    }

    /** Adds each candidate with its canonical score: row j's columns in ascending order, looked up in row i. */
    private void scoreCandidates(int i, int count) {
        rowI.load(i);
        rowI.dots(candidate, count, offerToOrder);
        candidates += count;
    }

    /**
     * Adds a candidate with its canonical sum, computed without a branch: a column row i lacks adds
     * (double) 0·a_jt = +0.0, which leaves a sum of non-negative terms unchanged, so the sum is
     * exactly the canonical one; it is positive iff the rows overlap (a double product of positive
     * floats cannot underflow).
     */
    private void offer(int j, double sum) {
        if (sum > 0) {
            order.add(j, (float) sum);
        }
    }

    @Override
    public long postingsScanned() {
        return postings + exact.postingsScanned();
    }

    @Override
    public long candidates() {
        return candidates + exact.candidates();
    }

    @Override
    public long denseOps() {
        return denseOps;
    }

    @Override
    public long approximatedRows() {
        return approximatedRows;
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
