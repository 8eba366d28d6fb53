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
    final float[] spread;
    private int loaded = -1;

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

    /**
     * {@code sum} plus the products of A's entries {@code [q, end)} with the loaded row, in that
     * order. A column the loaded row lacks adds (double) 0·a = +0.0, which leaves a sum of
     * non-negative terms unchanged, so no branch is needed for matrices of positive values.
     */
    double sum(int q, int end, double sum) {
        for (; q < end; q++) {
            sum += (double) spread[a.colIdx[q]] * a.values[q];
        }
        return sum;
    }
}
