package dev.recstage.core.engine;

/**
 * The memory a {@link TopKEngine} run needs, by pure arithmetic, so that a stage can check its
 * budget before loading anything, or pick the largest batch that fits.
 *
 * <p>Counted: A and its transpose, the per-thread scratch (the largest of the searches that may
 * run, since which one runs is decided per run), what they share (pruning bounds or the dense copy
 * of up to {@link CommonColumns#MAX_COLUMNS} common columns), the block buffers and the transient
 * transpose check. Not counted: JVM overhead and the sink's own memory.
 *
 * @param rows         rows of A (items)
 * @param cols         columns of A (terms or users)
 * @param nnz          non-zero entries of A
 * @param maxRowNnz    largest row of A (pass {@code cols} when unknown: an upper bound)
 * @param threads      engine threads
 * @param k            neighbours per row
 * @param countsCommon whether the unpruned search keeps common-column counts
 *                     (scorer needs them, or A has non-positive values)
 */
public record EnginePlan(long rows, long cols, long nnz, long maxRowNnz, int threads, int k, boolean countsCommon) {

    public EnginePlan {
        if (rows < 0 || cols < 0 || nnz < 0 || maxRowNnz < 0 || threads < 1 || k < 1) {
            throw new IllegalArgumentException("invalid plan " + rows + "x" + cols + ", nnz=" + nnz
                    + ", maxRowNnz=" + maxRowNnz + ", threads=" + threads + ", k=" + k);
        }
    }

    /** A plan from sizes alone, bounding the longest row by {@code min(cols, nnz)}. */
    public static EnginePlan estimate(long rows, long cols, long nnz, int threads, int k, boolean countsCommon) {
        return new EnginePlan(rows, cols, nnz, Math.min(cols, nnz), threads, k, countsCommon);
    }

    /** The exact plan for running this matrix with this scorer. */
    public static EnginePlan of(CsrMatrix a, int threads, int k, PairScorer scorer) {
        return new EnginePlan(a.rows(), a.cols(), a.nnz(), a.maxRowNnz(), threads, k, ScatterSearch.needsCounts(a, scorer));
    }

    /** A and its transpose. */
    public long matrixBytes() {
        return CsrMatrix.bytesFor(rows, nnz) + CsrMatrix.bytesFor(cols, nnz);
    }

    /** Scratch of all threads plus what they share; independent of the batch. */
    public long workspaceBytes() {
        long topK = 8L * k;
        // Per row: double accumulator and touched list (and common counts), then the candidates' keys;
        // and the scores sampled to narrow the ranking.
        long unpruned = (countsCommon ? 16L : 12L) * rows + CandidateOrder.bytesFor(rows) + SampledBar.bytes();
        // Without counts the approximating search may run: its own scratch around a scatter search.
        long approximating = countsCommon ? 0 : unpruned + HybridSearch.bytesFor(rows, cols);
        long pruned = MaxScoreSearch.bytesFor(rows, cols, maxRowNnz, k) + topK;
        long shared = countsCommon ? 0 : Math.max(PruningBounds.bytesFor(rows, cols), CommonColumns.bytesFor(rows, cols));
        long transposeCheck = 4L * cols;
        return threads * Math.max(Math.max(unpruned, approximating), pruned) + shared + transposeCheck;
    }

    /** Result buffers of one block of {@code batch} rows. */
    public long blockBytes(int batch) {
        return TopKEngine.blockBytes(batch, k);
    }

    /** Everything a run with this batch size holds at once. */
    public long bytes(int batch) {
        return matrixBytes() + workspaceBytes() + blockBytes(batch);
    }

    /**
     * The largest batch whose {@link #bytes(int)} fits the budget, capped at {@code max(rows, 1)}
     * (a larger batch holds nothing more); 0 when not even one row fits.
     */
    public int largestBatch(long budgetBytes) {
        long fixed = bytes(0);
        if (budgetBytes < fixed) {
            return 0;
        }
        long perRow = blockBytes(1) - blockBytes(0);
        long fits = (budgetBytes - fixed) / perRow;
        long cap = Math.min(Math.max(rows, 1), (Integer.MAX_VALUE - 8) / k);
        return (int) Math.min(fits, cap);
    }
}
