package dev.recstage.core.engine;

/**
 * Canonical dot products of one row of A with any other rows: the exact double products of their
 * shared columns, summed in ascending column order and rounded once to float, the same bits as the
 * engine's scores. The row is spread over the columns once, so each other row costs its own length,
 * not a pass over the matrix. One thread's scratch.
 */
public final class RowDots {
    private final CsrMatrix a;
    /** The loaded row's values by column, zero elsewhere. */
    private final float[] spread;
    private int loaded = -1;
    /** What {@link #touchFirstEntries} read; never used. */
    @SuppressWarnings("unused")
    private int touched;

    public RowDots(CsrMatrix a) {
        this.a = a;
        this.spread = new float[a.cols];
    }

    /** Heap bytes of one instance over {@code cols} columns. */
    public static long bytesFor(long cols) {
        return 4L * cols;
    }

    /** Makes row {@code i} the row the products are taken with (replacing the one loaded before). */
    public void load(int i) {
        if (loaded >= 0) {
            for (int p = a.rowPtr[loaded], end = a.rowPtr[loaded + 1]; p < end; p++) {
                spread[a.colIdx[p]] = 0f;
            }
        }
        for (int p = a.rowPtr[i], end = a.rowPtr[i + 1]; p < end; p++) {
            spread[a.colIdx[p]] = a.values[p];
        }
        loaded = i;
    }

    /** The loaded row's canonical dot product with row {@code j}: 0 when they share no column. */
    public float dot(int j) {
        return (float) sum(a.rowPtr[j], a.rowPtr[j + 1], 0);
    }

    /** Receives a row's canonical dot product as its double sum, before the rounding to float. */
    @FunctionalInterface
    public interface Sums {
        void accept(int row, double sum);
    }

    /**
     * The loaded row's canonical sums with rows {@code rows[0, count)}, in that order, to
     * {@code sums}. Two rows at a time: their entries lie far apart in A, and walking both in one
     * loop lets the processor wait for both rows' cache misses, and both chains of additions, at
     * once. Each sum still runs over its own row's columns in ascending order: the same bits as
     * {@link #dot}.
     */
    public void dots(int[] rows, int count, Sums sums) {
        final int[] rowPtr = a.rowPtr;
        final int[] colIdx = a.colIdx;
        final float[] values = a.values;
        touchFirstEntries(rows, count);
        int x = 0;
        for (; x + 1 < count; x += 2) {
            int j1 = rows[x];
            int j2 = rows[x + 1];
            int q1 = rowPtr[j1];
            int q2 = rowPtr[j2];
            int end1 = rowPtr[j1 + 1];
            int end2 = rowPtr[j2 + 1];
            double sum1 = 0;
            double sum2 = 0;
            for (int both = Math.min(end1 - q1, end2 - q2); both > 0; both--, q1++, q2++) {
                sum1 += (double) spread[colIdx[q1]] * values[q1];
                sum2 += (double) spread[colIdx[q2]] * values[q2];
            }
            sums.accept(j1, sum(q1, end1, sum1));
            sums.accept(j2, sum(q2, end2, sum2));
        }
        if (x < count) {
            int j = rows[x];
            sums.accept(j, sum(rowPtr[j], rowPtr[j + 1], 0));
        }
    }

    /**
     * Reads each row's first entry before any sum starts: these loads do not depend on one another,
     * so their cache misses overlap, where the sums would meet them one pair at a time (a row's
     * start, then its first entry, then the loaded row's value there). What is read is kept in a
     * field so that the reads are not dropped as unused.
     */
    private void touchFirstEntries(int[] rows, int count) {
        final int[] rowPtr = a.rowPtr;
        final int[] colIdx = a.colIdx;
        final float[] values = a.values;
        int last = colIdx.length - 1;
        if (last < 0) {
            return;
        }
        int seen = 0;
        for (int x = 0; x < count; x++) {
            int q = Math.min(rowPtr[rows[x]], last);
            seen += colIdx[q] + Float.floatToRawIntBits(values[q]);
        }
        touched = seen;
    }

    /**
     * {@code sum} plus the products of A's entries {@code [q, end)} with the loaded row, in that
     * order. A column the loaded row lacks adds (double) 0·a = +0.0, which leaves a sum of
     * non-negative terms unchanged, so no branch is needed for matrices of positive values.
     */
    private double sum(int q, int end, double sum) {
        for (; q < end; q++) {
            sum += (double) spread[a.colIdx[q]] * a.values[q];
        }
        return sum;
    }
}
