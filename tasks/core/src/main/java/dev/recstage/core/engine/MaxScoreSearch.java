package dev.recstage.core.engine;

import java.util.Arrays;

/**
 * The pruned search (MaxScore / L2AP style) for a plain dot product on a matrix with positive
 * values. Its results equal {@link ScatterSearch}'s bit for bit.
 *
 * <p>For row i:
 * <ol>
 *   <li>Order i's columns by decreasing potential {@code a_it · max_j a_jt}, so that the rare,
 *       heavy columns come first and the frequent ones (long postings) last.</li>
 *   <li>Scatter the columns in that order. Before each one, if the bound on what any row not yet
 *       touched could still reach, {@code min(Σ remaining potentials, ‖i's remaining part‖ · max_j ‖a_j‖)},
 *       is below θ, stop admitting candidates: the remaining postings are never visited.</li>
 *   <li>θ is a lower bound on the K-th best exact score, refreshed from the K-th best partial sum
 *       (partials never exceed the full sum: every value is positive) and later from the exact
 *       top-K heap.</li>
 *   <li>A candidate whose partial plus the bound on its remaining part
 *       ({@code min(Σ remaining potentials, ‖i's remaining part‖ · ‖a_j‖)}) is below θ is dropped;
 *       the others are scored exactly by walking row j against a dense copy of row i, in
 *       ascending column order, which gives the canonical sum.</li>
 * </ol>
 *
 * <p>Exactness with ties: a row is dropped only if its final float score is certainly strictly
 * below θ, i.e. its bound, widened by {@link #SLACK} for floating-point rounding, is below the
 * float just under θ. A row that could tie θ is always scored, so that the smaller index wins the
 * tie exactly as in the unpruned search.
 */
final class MaxScoreSearch implements RowSearch {

    /**
     * Relative widening of every bound. Rounding of the double sums (at most ~2^31 terms of
     * relative error 2^-53 each, in the bound and in the canonical sum) stays below 1e-6.
     */
    static final double SLACK = 1e-5;

    private final CsrMatrix a;
    private final CsrMatrix aT;
    private final PruningBounds bounds;
    private final int k;
    private final double[] acc;
    private final int[] touched;
    /** Row i scattered densely over the columns, zero elsewhere. */
    private final float[] rowI;
    private final long[] order;
    private final double[] potential;
    private final double[] suffixPotential;
    private final double[] suffixSquares;
    private final double[] partialHeap;
    private final TopKHeap heap;
    private long postings;
    private long candidates;
    private long exactScores;
    private long earlyStops;

    MaxScoreSearch(CsrMatrix a, CsrMatrix aT, PruningBounds bounds, int k) {
        this.a = a;
        this.aT = aT;
        this.bounds = bounds;
        this.k = k;
        this.acc = new double[a.rows];
        this.touched = new int[a.rows];
        this.rowI = new float[a.cols];
        int maxTerms = a.maxRowNnz();
        this.order = new long[maxTerms];
        this.potential = new double[maxTerms];
        this.suffixPotential = new double[maxTerms + 1];
        this.suffixSquares = new double[maxTerms + 1];
        this.partialHeap = new double[k];
        this.heap = new TopKHeap(k);
    }

    /** Scratch bytes of one instance, for {@link EnginePlan}. */
    static long bytesFor(long rows, long cols, long maxRowNnz, long k) {
        return 12L * rows + 4L * cols + 32L * maxRowNnz + 16 + 16L * k;
    }

    @Override
    public int search(int i, int[] outNeighbor, float[] outScore, int offset) {
        int start = a.rowPtr[i];
        int m = a.rowPtr[i + 1] - start;
        if (m == 0) {
            return 0;
        }
        orderByPotential(start, m);
        int n = 0;
        float theta = Float.NEGATIVE_INFINITY;
        int s = 0;
        for (; s < m; s++) {
            int p = start + (int) order[s];
            int t = a.colIdx[p];
            int df = aT.rowPtr[t + 1] - aT.rowPtr[t];
            // Refreshing θ costs a pass over the candidates: worth it only before a long posting.
            if (n > k && 2L * df >= n) {
                theta = Math.max(theta, thetaFromPartials(i, n));
            }
            double unseenBound = Math.min(suffixPotential[s], Math.sqrt(suffixSquares[s]) * bounds.maxRowNorm);
            if (certainlyBelow(unseenBound, theta)) {
                break;
            }
            n = scatter(a.values[p], t, n);
        }
        if (s < m) {
            earlyStops++;
        }
        finishCandidates(i, start, m, s, n, theta);
        return heap.drainSorted(outNeighbor, outScore, offset);
    }

    /** Fills {@code order[0, m)} with i's entry offsets by decreasing potential, ties by column. */
    private void orderByPotential(int start, int m) {
        float[] columnMax = bounds.columnMax;
        for (int q = 0; q < m; q++) {
            int p = start + q;
            double u = (double) a.values[p] * columnMax[a.colIdx[p]];
            potential[q] = u;
            // Non-negative float bits sort like the floats; inverting them sorts descending.
            long key = Integer.MAX_VALUE - Float.floatToRawIntBits((float) u);
            order[q] = (key << 32) | q;
        }
        Arrays.sort(order, 0, m);
        suffixPotential[m] = 0;
        suffixSquares[m] = 0;
        for (int s = m - 1; s >= 0; s--) {
            int q = (int) order[s];
            order[s] = q;
            double w = a.values[start + q];
            suffixPotential[s] = suffixPotential[s + 1] + potential[q];
            suffixSquares[s] = suffixSquares[s + 1] + w * w;
        }
    }

    private int scatter(double w, int t, int n) {
        final double[] acc = this.acc;
        final int[] touched = this.touched;
        final int[] postRow = aT.colIdx;
        final float[] postVal = aT.values;
        int qEnd = aT.rowPtr[t + 1];
        for (int q = aT.rowPtr[t]; q < qEnd; q++) {
            int j = postRow[q];
            double before = acc[j];
            if (before == 0.0) { // values are positive: a touched accumulator is never 0
                touched[n++] = j;
            }
            acc[j] = before + w * postVal[q];
        }
        postings += qEnd - aT.rowPtr[t];
        return n;
    }

    /** Drops candidates that cannot reach θ, scores the rest exactly into the heap, resets the scratch. */
    private void finishCandidates(int i, int start, int m, int s, int n, float theta) {
        for (int p = start; p < start + m; p++) {
            rowI[a.colIdx[p]] = a.values[p];
        }
        double remainingPotential = suffixPotential[s];
        double remainingNorm = Math.sqrt(suffixSquares[s]);
        double[] rowNorm = bounds.rowNorm;
        float cut = theta;
        for (int x = 0; x < n; x++) {
            int j = touched[x];
            double partial = acc[j];
            acc[j] = 0.0;
            if (j == i) {
                continue;
            }
            candidates++;
            double bound = partial + Math.min(remainingPotential, remainingNorm * rowNorm[j]);
            if (certainlyBelow(bound, cut)) {
                continue;
            }
            heap.offer(j, exactDot(j));
            if (heap.isFull()) {
                cut = Math.max(cut, heap.worstScore());
            }
        }
        for (int p = start; p < start + m; p++) {
            rowI[a.colIdx[p]] = 0f;
        }
    }

    /**
     * The canonical dot product of rows i (in {@link #rowI}) and j. Columns j does not share with i
     * add +0.0, which leaves a non-negative double sum unchanged, so this equals the scattered sum.
     */
    private float exactDot(int j) {
        exactScores++;
        final float[] rowI = this.rowI;
        double sum = 0.0;
        for (int p = a.rowPtr[j], end = a.rowPtr[j + 1]; p < end; p++) {
            sum += rowI[a.colIdx[p]] * (double) a.values[p];
        }
        return (float) sum;
    }

    /**
     * A float lower bound on the K-th best exact score: the K-th largest partial sum among the
     * candidates other than i, shrunk by {@link #SLACK} and rounded down; -∞ with fewer than K.
     */
    private float thetaFromPartials(int i, int n) {
        int size = 0;
        for (int x = 0; x < n; x++) {
            int j = touched[x];
            if (j == i) {
                continue;
            }
            double v = acc[j];
            if (size < k) {
                siftUp(v, size++);
            } else if (v > partialHeap[0]) {
                siftDown(v, size);
            }
        }
        if (size < k) {
            return Float.NEGATIVE_INFINITY;
        }
        double lower = partialHeap[0] * (1 - SLACK);
        float f = (float) lower;
        return f > lower ? Math.nextDown(f) : f;
    }

    private void siftUp(double v, int slot) {
        while (slot > 0) {
            int parent = (slot - 1) >>> 1;
            if (partialHeap[parent] <= v) {
                break;
            }
            partialHeap[slot] = partialHeap[parent];
            slot = parent;
        }
        partialHeap[slot] = v;
    }

    private void siftDown(double v, int size) {
        int slot = 0;
        while (true) {
            int child = 2 * slot + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && partialHeap[child + 1] < partialHeap[child]) {
                child++;
            }
            if (partialHeap[child] >= v) {
                break;
            }
            partialHeap[slot] = partialHeap[child];
            slot = child;
        }
        partialHeap[slot] = v;
    }

    /**
     * True when a row whose score is at most {@code bound} (up to rounding) certainly scores
     * strictly below θ as a float, so it cannot enter the top K even by winning a tie.
     */
    private static boolean certainlyBelow(double bound, float theta) {
        return bound * (1 + SLACK) < Math.nextDown(theta);
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
    public long exactScores() {
        return exactScores;
    }

    @Override
    public long earlyStops() {
        return earlyStops;
    }
}
