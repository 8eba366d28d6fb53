package dev.recstage.core.engine;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Exact sparse top-K similarity: for every row i of a range, the K best {@code s(i, j)}, j ≠ i,
 * over the rows j that share at least one non-zero column with i.
 *
 * <p>Work is split into blocks of {@code batch} rows. Inside a block the worker threads (the
 * caller's thread is one of them) take rows dynamically in small chunks and write each row's
 * result into block-sized arrays ({@code batch·K}); the block is then handed to the sink in row
 * order from the caller's thread, while the other workers already compute the next block (the
 * caller joins them once the sink is done). Each row's result depends only on the row, so the output is
 * identical whatever the thread count, the batch size or the split of the rows into ranges.
 *
 * <p>Memory: O(nnz) for the matrices, O(threads·N) scratch (a dense double accumulator and a
 * touched list per thread, sized by the number of rows N), O(batch·K) for the two blocks — see
 * {@link EnginePlan}. Nothing grows with N² or with the rows already done.
 *
 * <p>Which search runs, for a plain dot product (cosine) on a matrix of positive values: by default
 * {@link HybridSearch} when A has {@link CommonColumns} (frequent terms: dense vectorised passes,
 * exact rescoring of the few rows that can reach the top K); with pruning on, {@link MaxScoreSearch}.
 * Other scorers, signed values or a matrix without common columns take {@link ScatterSearch}. All
 * of them produce bit-identical results.
 */
public final class TopKEngine {

    private final int threads;
    private final int batch;
    private final boolean pruning;
    private final boolean eagerStops;
    private final boolean approximating;

    /**
     * An engine with the default search choice (see the class comment). Pruning is exact but did
     * not pay on the Zipf TF-IDF benchmark (see ZipfBenchmarkTest); the approximating search did.
     */
    public TopKEngine(int threads, int batch) {
        this(threads, batch, false);
    }

    /**
     * @param threads worker threads, at least 1 (the caller's thread counts as one)
     * @param batch   rows per block, at least 1
     * @param pruning true to run the pruned search where it applies instead of the approximating one
     */
    public TopKEngine(int threads, int batch, boolean pruning) {
        this(threads, batch, pruning, false, !pruning);
    }

    /** With {@code eagerStops} the pruned search stops admitting whenever allowed, even at a loss (tests). */
    TopKEngine(int threads, int batch, boolean pruning, boolean eagerStops) {
        this(threads, batch, pruning, eagerStops, !pruning);
    }

    private TopKEngine(int threads, int batch, boolean pruning, boolean eagerStops, boolean approximating) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        }
        this.threads = threads;
        this.batch = batch;
        this.pruning = pruning;
        this.eagerStops = eagerStops;
        this.approximating = approximating;
    }

    /** An engine that always runs the plain scatter (the reference the other searches are measured against). */
    static TopKEngine scatterOnly(int threads, int batch) {
        return new TopKEngine(threads, batch, false, false, false);
    }

    public int threads() {
        return threads;
    }

    public int batch() {
        return batch;
    }

    /** Whether a run on this matrix with this scorer takes the pruned path. */
    public boolean prunes(CsrMatrix a, PairScorer scorer) {
        return pruning && scorer.allowsDotBoundPruning() && a.isPositive();
    }

    /**
     * Computes the top-K neighbours of rows {@code [fromRow, toRow)} and streams them to the sink.
     *
     * @param a        the matrix, one row per item
     * @param aT       its transpose (checked in O(nnz))
     * @param scorer   how pairs are scored and which are candidates
     * @param k        neighbours kept per row, at least 1
     * @param sink     receives every row of the range in ascending order, from this thread; a row
     *                 without neighbours is reported with count 0
     * @param progress told after each block
     * @return counters of what the run did
     * @throws CancellationException if this thread is interrupted while workers compute
     */
    public RunStats run(CsrMatrix a, CsrMatrix aT, PairScorer scorer, int k, int fromRow, int toRow,
                        NeighborSink sink, BlockListener progress) {
        checkArguments(a, aT, k, fromRow, toRow);
        int total = toRow - fromRow;
        int blockCapacity = Math.min(batch, total);
        if ((long) blockCapacity * k > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("batch·K = " + (long) blockCapacity * k + " exceeds one array");
        }
        int workers = Math.max(1, Math.min(threads, blockCapacity));
        Supplier<RowSearch> factory = searches(a, aT, scorer, k);
        RowSearch[] searches = new RowSearch[workers];
        for (int w = 0; w < workers; w++) {
            searches[w] = factory.get();
        }
        // Two blocks: the caller hands one to the sink while the pool's workers compute the next.
        BlockResults[] blocks = {new BlockResults(blockCapacity, k), new BlockResults(blockCapacity, k)};
        ExecutorService pool = workers > 1 ? Executors.newFixedThreadPool(workers - 1, TopKEngine::workerThread) : null;
        try {
            BlockWork previous = null;
            for (int blockStart = fromRow, b = 0; blockStart < toRow; blockStart += blockCapacity, b++) {
                BlockWork current = BlockWork.start(searches, pool, blocks[b & 1], blockStart, Math.min(toRow, blockStart + blockCapacity));
                try {
                    if (previous != null) {
                        emit(previous, sink, progress, fromRow, total);
                    }
                } catch (RuntimeException | Error e) {
                    current.cancel();
                    throw e;
                }
                current.finish(searches[0]);
                previous = current;
            }
            if (previous != null) {
                emit(previous, sink, progress, fromRow, total);
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        return stats(searches, total, prunes(a, scorer));
    }

    private static void checkArguments(CsrMatrix a, CsrMatrix aT, int k, int fromRow, int toRow) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        if (fromRow < 0 || toRow < fromRow || toRow > a.rows()) {
            throw new IllegalArgumentException("row range [" + fromRow + ", " + toRow + ") outside [0, " + a.rows() + ")");
        }
        if (!a.isTransposeOf(aT)) {
            throw new IllegalArgumentException("aT is not the transpose of a");
        }
    }

    /**
     * Per-thread searches of single rows, for a caller that runs its own loop over the rows: each
     * {@link RowTopK} gives row i the list {@link #run} gives it. What they share (common columns,
     * pruning bounds) is built once, here.
     */
    public Supplier<RowTopK> rowSearches(CsrMatrix a, CsrMatrix aT, PairScorer scorer, int k) {
        checkArguments(a, aT, k, 0, a.rows());
        Supplier<RowSearch> factory = searches(a, aT, scorer, k);
        return () -> new RowTopK(factory.get());
    }

    /** Makes one thread's search each time it is asked, of the kind the class comment says. */
    private Supplier<RowSearch> searches(CsrMatrix a, CsrMatrix aT, PairScorer scorer, int k) {
        boolean pruned = prunes(a, scorer);
        CommonColumns common = !pruned && approximating && scorer.allowsDotBoundPruning() && HybridSearch.applies(a) ? CommonColumns.of(a, aT) : null;
        if (common != null && common.count() > 0) {
            return () -> new HybridSearch(a, aT, common, k);
        }
        if (pruned) {
            PruningBounds bounds = PruningBounds.of(a, aT);
            return () -> new MaxScoreSearch(a, aT, bounds, k, eagerStops);
        }
        return () -> new ScatterSearch(a, aT, scorer, new CandidateOrder(a.rows, k));
    }

    private static void emit(BlockWork work, NeighborSink sink, BlockListener progress, int fromRow, int total) {
        work.emit(sink);
        progress.blockDone(work.end() - fromRow, total);
    }

    private static Thread workerThread(Runnable r) {
        Thread t = new Thread(r, "topk-worker");
        t.setDaemon(true);
        return t;
    }

    private static RunStats stats(RowSearch[] searches, int rows, boolean pruned) {
        long postings = 0;
        long dense = 0;
        long approximated = 0;
        long candidates = 0;
        long rescored = 0;
        long early = 0;
        for (RowSearch s : searches) {
            postings += s.postingsScanned();
            dense += s.denseOps();
            approximated += s.approximatedRows();
            candidates += s.candidates();
            rescored += s.rescored();
            early += s.earlyStops();
        }
        return new RunStats(rows, postings, dense, candidates, approximated, rescored, early, pruned);
    }

    /** The two blocks a run holds: one being emitted, one being computed. */
    static long blockBytes(long capacity, long k) {
        return 2 * BlockResults.bytesFor(capacity, k);
    }
}
