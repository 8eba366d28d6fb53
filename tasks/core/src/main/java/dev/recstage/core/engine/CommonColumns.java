package dev.recstage.core.engine;

import java.util.Arrays;

/**
 * The most frequent columns of A, copied column-major into dense float arrays so that the hybrid
 * search adds a whole column with one contiguous loop the JIT vectorises, instead of scattering a
 * posting list that covers a large share of the rows.
 *
 * <p>A column is common when at least {@code rows / }{@link #DF_DIVISOR} rows (and at least 2) use
 * it; of those, the {@link #MAX_COLUMNS} most frequent are kept. Memory: 4 bytes per row per kept
 * column plus 4 bytes per column of A, shared by all threads.
 */
final class CommonColumns {

    /**
     * Density from which a dense pass over all N rows costs less than scattering the postings: a
     * vectorised multiply-add costs about a sixth of a scattered posting (Zipf benchmark, 50k rows:
     * CPU 22 s with N/16, 16-17 s with N/6, 15-17 s with N/4).
     */
    static final int DF_DIVISOR = 4;
    /** Caps the copy at 256 bytes per row. */
    static final int MAX_COLUMNS = 64;

    /** For each column of A its slot in {@link #dense}, or -1 when the column is not common. */
    final int[] slot;
    /** {@code dense[s][j]} = A's value at row j of the column in slot s, 0 where absent. */
    final float[][] dense;

    private CommonColumns(int[] slot, float[][] dense) {
        this.slot = slot;
        this.dense = dense;
    }

    static CommonColumns of(CsrMatrix a, CsrMatrix aT) {
        int[] chosen = choose(aT, a.rows);
        int[] slot = new int[a.cols];
        Arrays.fill(slot, -1);
        float[][] dense = new float[chosen.length][];
        for (int s = 0; s < chosen.length; s++) {
            int t = chosen[s];
            slot[t] = s;
            float[] column = new float[a.rows];
            for (int q = aT.rowPtr[t]; q < aT.rowPtr[t + 1]; q++) {
                column[aT.colIdx[q]] = aT.values[q];
            }
            dense[s] = column;
        }
        return new CommonColumns(slot, dense);
    }

    /** The common columns, most frequent first (ties by smaller column). */
    private static int[] choose(CsrMatrix aT, int rows) {
        int minDf = Math.max(2, (rows + DF_DIVISOR - 1) / DF_DIVISOR);
        long[] keys = new long[aT.rows];
        int n = 0;
        for (int t = 0; t < aT.rows; t++) {
            int df = aT.rowNnz(t);
            if (df >= minDf) {
                keys[n++] = ((long) -df << 32) | t; // ascending key = descending df, then column
            }
        }
        Arrays.sort(keys, 0, n);
        int[] chosen = new int[Math.min(n, MAX_COLUMNS)];
        for (int s = 0; s < chosen.length; s++) {
            chosen[s] = (int) keys[s];
        }
        return chosen;
    }

    int count() {
        return dense.length;
    }

    /** Upper bound of the shared memory: {@link #MAX_COLUMNS} dense columns plus the slot map. */
    static long bytesFor(long rows, long cols) {
        return 4L * MAX_COLUMNS * rows + 4L * cols;
    }
}
