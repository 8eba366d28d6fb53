package dev.recstage.core.engine;

/**
 * Per-run, read-only upper bounds the pruned search shares between threads: the largest value of
 * every column of A (from the inverted index) and the L2 norm of every row.
 */
final class PruningBounds {

    final float[] columnMax;
    final double[] rowNorm;
    final double maxRowNorm;

    private PruningBounds(float[] columnMax, double[] rowNorm, double maxRowNorm) {
        this.columnMax = columnMax;
        this.rowNorm = rowNorm;
        this.maxRowNorm = maxRowNorm;
    }

    static PruningBounds of(CsrMatrix a, CsrMatrix aT) {
        double[] norms = new double[a.rows];
        double max = 0;
        for (int i = 0; i < a.rows; i++) {
            double sumSquares = 0;
            for (int p = a.rowPtr[i]; p < a.rowPtr[i + 1]; p++) {
                sumSquares += (double) a.values[p] * a.values[p];
            }
            norms[i] = Math.sqrt(sumSquares);
            max = Math.max(max, norms[i]);
        }
        return new PruningBounds(aT.rowMaxima(), norms, max);
    }

    static long bytesFor(long rows, long cols) {
        return 4L * cols + 8L * rows;
    }
}
