package dev.recstage.core.engine;

import java.util.Arrays;

/**
 * The pruned search (MaxScore style) for a plain dot product on a matrix of positive values. Its
 * results equal {@link ScatterSearch}'s bit for bit.
 *
 * <p>For row i:
 * <ol>
 *   <li>Order i's columns by decreasing potential {@code a_it · max_j a_jt}.</li>
 *   <li>Scatter them in that order into the accumulator. Now and then (see {@link #CHECK_SPACING})
 *       check whether to stop admitting candidates before the next column. That is allowed when no
 *       row not yet touched can reach θ — its score is at most
 *       {@code min(Σ remaining potentials, ‖i's remaining part‖ · max_j ‖a_j‖)} — and worth it when
 *       completing the candidates that might still reach θ costs less than the postings skipped.</li>
 *   <li>θ is a lower bound on the K-th best score: the K-th best partial sum (partials never
 *       exceed the full sum since every value is positive), later the worst of the exact top K.</li>
 *   <li>After a stop, a candidate whose partial plus
 *       {@code min(Σ remaining potentials, ‖i's remaining part‖ · ‖a_j‖)} is below θ is dropped;
 *       the others get the remaining columns' products by binary search in row j.</li>
 *   <li>Every sum was formed in potential order, not in the canonical ascending column order;
 *       {@link #canonicalFloat} proves that both round to the same float, or walks the two rows.</li>
 * </ol>
 *
 * <p>Exactness with ties: a row is dropped only if its final float score is certainly strictly
 * below θ, i.e. its bound, widened by {@link #SLACK} for floating-point rounding, is below the
 * float just under θ. A row that could tie θ is always completed, so that the smaller index wins
 * the tie exactly as in the unpruned search.
 */
final class MaxScoreSearch implements RowSearch {

    /**
     * Relative widening of every bound. Rounding of the double sums (at most ~2^31 terms of
     * relative error 2^-53 each, in the bound and in the canonical sum) stays below 1e-6.
     */
    static final double SLACK = 1e-5;

    /**
     * A check (up to two passes over the n candidates) runs once CHECK_SPACING·n postings were
     * scattered since the last one, or before a posting that long: either way it costs at most
     * about half of the scatter it is weighed against.
     */
    static final int CHECK_SPACING = 4;

    private final CsrMatrix a;
    private final CsrMatrix aT;
    private final PruningBounds bounds;
    private final int k;
    /** Stop admitting as soon as that is allowed, whatever it costs (tests: exercises the stop path). */
    private final boolean eager;
    private final double[] acc;
    private final int[] touched;
    /** Row i scattered densely over the columns, zero elsewhere (for the rare canonical walk). */
    private final float[] rowI;
    /** Row i's entry offsets in processing order (after a stop, the remaining ones by column). */
    private final long[] order;
    private final double[] potential;
    private final double[] suffixPotential;
    private final double[] suffixSquares;
    private final long[] suffixPostings;
    private final double[] partialHeap;
    private final TopKHeap heap;
    private long postings;
    private long candidates;
    private long rescored;
    private long earlyStops;

    MaxScoreSearch(CsrMatrix a, CsrMatrix aT, PruningBounds bounds, int k, boolean eager) {
        this.eager = eager;
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
        this.suffixPostings = new long[maxTerms + 1];
        this.partialHeap = new double[k];
        this.heap = new TopKHeap(k);
    }

    /** Scratch bytes of one instance, for {@link EnginePlan}. */
    static long bytesFor(long rows, long cols, long maxRowNnz, long k) {
        return 12L * rows + 4L * cols + 40L * maxRowNnz + 24 + 16L * k;
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
        long sinceCheck = 0;
        int s = 0;
        for (; s < m; s++) {
            int p = start + (int) order[s];
            int df = aT.rowNnz(a.colIdx[p]);
            long spacing = CHECK_SPACING * (long) n;
            if (n > k && (eager || (sinceCheck >= spacing || df >= spacing) && suffixPostings[s] >= n)) {
                sinceCheck = 0;
                theta = Math.max(theta, thetaFromPartials(i, n));
                if (stoppingPays(i, n, s, m, theta)) {
                    break;
                }
            }
            int before = n;
            n = scatter(a.values[p], a.colIdx[p], n);
            sinceCheck += df + (n - before);
        }
        setRowI(start, m, true);
        if (s < m) {
            earlyStops++;
            Arrays.sort(order, s, m); // remaining offsets by column, for the binary searches
            finishAfterStop(i, start, m, s, n, theta);
        } else {
            finishComplete(i, m, n);
        }
        setRowI(start, m, false);
        return heap.drainSorted(outNeighbor, outScore, offset);
    }

    /** Fills {@code order[0, m)} with i's entry offsets by decreasing potential, ties by column, and the suffix sums. */
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
        suffixPostings[m] = 0;
        for (int s = m - 1; s >= 0; s--) {
            int q = (int) order[s];
            order[s] = q;
            double w = a.values[start + q];
            suffixPotential[s] = suffixPotential[s + 1] + potential[q];
            suffixSquares[s] = suffixSquares[s + 1] + w * w;
            suffixPostings[s] = suffixPostings[s + 1] + aT.rowNnz(a.colIdx[start + q]);
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

    /** Upper bound on what row j gets from i's columns at order positions {@code s} and later. */
    private double remainingBound(int j, int s) {
        return Math.min(suffixPotential[s], Math.sqrt(suffixSquares[s]) * bounds.rowNorm[j]);
    }

    /**
     * Whether to stop admitting candidates before order position {@code s}: allowed when no row
     * not yet touched can reach θ, worth it when the binary searches that complete the candidates
     * which might still reach θ cost less than the postings left to scatter.
     */
    private boolean stoppingPays(int i, int n, int s, int m, float theta) {
        double unseenBound = Math.min(suffixPotential[s], Math.sqrt(suffixSquares[s]) * bounds.maxRowNorm);
        if (!certainlyBelow(unseenBound, theta)) {
            return false;
        }
        if (eager) {
            return true;
        }
        int remainingTerms = m - s;
        long skippedWork = suffixPostings[s];
        long finishWork = 0;
        for (int x = 0; x < n && finishWork < skippedWork; x++) {
            int j = touched[x];
            if (j != i && !certainlyBelow(acc[j] + remainingBound(j, s), theta)) {
                finishWork += (long) remainingTerms * (33 - Integer.numberOfLeadingZeros(a.rowNnz(j)));
            }
        }
        return finishWork < skippedWork;
    }

    /** Sets {@link #rowI} to row i's values, or back to zero. */
    private void setRowI(int start, int m, boolean fill) {
        for (int p = start; p < start + m; p++) {
            rowI[a.colIdx[p]] = fill ? a.values[p] : 0f;
        }
    }

    /** Every column of i was scattered: each accumulator holds its candidate's whole dot product. */
    private void finishComplete(int i, int m, int n) {
        for (int x = 0; x < n; x++) {
            int j = touched[x];
            double sum = acc[j];
            acc[j] = 0.0;
            if (j == i) {
                continue;
            }
            candidates++;
            offer(j, sum, m);
        }
    }

    /**
     * Admission stopped before order position s: drops candidates that cannot reach θ and
     * completes the others with the remaining columns' products.
     */
    private void finishAfterStop(int i, int start, int m, int s, int n, float theta) {
        float cut = theta;
        for (int x = 0; x < n; x++) {
            int j = touched[x];
            double partial = acc[j];
            acc[j] = 0.0;
            if (j == i) {
                continue;
            }
            candidates++;
            if (certainlyBelow(partial + remainingBound(j, s), cut)) {
                continue;
            }
            rescored++;
            offer(j, partial + remainingProducts(j, start, s, m), m);
            if (heap.isFull()) {
                cut = Math.max(cut, heap.worstScore());
            }
        }
    }

    /** Σ a_it · a_jt over i's columns at order positions [s, m) (sorted by column), by binary search in row j. */
    private double remainingProducts(int j, int start, int s, int m) {
        double sum = 0;
        int from = a.rowPtr[j];
        int to = a.rowPtr[j + 1];
        for (int x = s; x < m && from < to; x++) {
            int p = start + (int) order[x];
            int found = Arrays.binarySearch(a.colIdx, from, to, a.colIdx[p]);
            if (found >= 0) {
                sum += (double) a.values[p] * a.values[found];
                from = found + 1;
            } else {
                from = -found - 1;
            }
        }
        return sum;
    }

    /** Offers candidate j whose dot product, summed in some order over at most {@code terms} products, is {@code sum}. */
    private void offer(int j, double sum, int terms) {
        if (heap.isFull() && certainlyBelow(sum, heap.worstScore())) {
            return;
        }
        heap.offer(j, canonicalFloat(j, sum, terms));
    }

    /**
     * The canonical float of a dot product known as {@code sum}, a double sum of the same positive
     * products in another order. Two such sums differ by at most {@code 2·terms·2^-53·sum}; when
     * the float rounding is the same at both ends of the wider interval {@code sum ± terms·2^-50·sum},
     * it is also that of the canonical sum. Otherwise (rarely) the rows are walked in column order.
     */
    private float canonicalFloat(int j, double sum, int terms) {
        double radius = sum * terms * 0x1p-50;
        float low = (float) (sum - radius);
        if (low == (float) (sum + radius)) {
            return low;
        }
        return canonicalDot(j);
    }

    /**
     * The canonical dot product of rows i (in {@link #rowI}) and j. Columns j does not share with i
     * add +0.0, which leaves a non-negative double sum unchanged, so this equals the scattered sum.
     */
    private float canonicalDot(int j) {
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
    public long rescored() {
        return rescored;
    }

    @Override
    public long earlyStops() {
        return earlyStops;
    }
}
