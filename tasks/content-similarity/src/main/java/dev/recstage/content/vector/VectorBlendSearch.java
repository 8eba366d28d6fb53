package dev.recstage.content.vector;

import dev.recstage.core.engine.BlockListener;
import dev.recstage.core.engine.BlockResults;
import dev.recstage.core.engine.CsrMatrix;
import dev.recstage.core.engine.NeighborSink;
import dev.recstage.core.engine.TopKHeap;
import dev.recstage.core.engine.Workers;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Exact top-K over all pairs of items for two scores at once, from one pass of dense vector
 * scores: the embedding cosine ({@code vector_neighbors}) and the blend of TF-IDF cosine and
 * embedding cosine ({@code content_neighbors}).
 *
 * <p>Why dense: a pair with no common term can still be among the blend's best through its
 * vector score, so the blend's candidates are all pairs, not only those of the inverted index.
 * Each row's vector scores are computed against all items ({@link VectorKernel}); its TF-IDF
 * scores are added from the sparse matrix, accumulated per row in ascending term order (the
 * engine's canonical dot product, so text scores are bit-identical to the engine's).
 *
 * <p>Candidates: for vectors, pairs of distinct items that both have a vector; for the blend,
 * those plus the pairs that share a term (the vector score of an item without vector is 0). Rows
 * are computed in blocks of {@code batch} rows, chunks of a block spread over the threads, and
 * emitted in row order; each row's result depends on the row alone, so the output is the same for
 * every thread count, batch size and shard.
 */
public final class VectorBlendSearch {
    /** Query rows scored together by one thread: they share each panel of vectors while it is in cache. */
    static final int CHUNK_ROWS = 16;

    private final ItemVectors vectors;
    private final CsrMatrix text;
    private final CsrMatrix textTransposed;
    private final BlendWeights weights;
    private final int threads;
    private final int batch;
    private final int k;
    /** CPU time the threads spent in the vector kernel, apart from the text scores and the top-K selection. */
    private final LongAdder kernelNanos = new LongAdder();
    private final ThreadMXBean cpuClock = ManagementFactory.getThreadMXBean();

    /**
     * @param text           L2-normalised TF-IDF rows of the same items (may have no columns)
     * @param textTransposed its transpose
     */
    public VectorBlendSearch(ItemVectors vectors, CsrMatrix text, CsrMatrix textTransposed, BlendWeights weights,
                             int threads, int batch, int k) {
        if (text.rows() != vectors.items) {
            throw new IllegalArgumentException("text has " + text.rows() + " rows, vectors " + vectors.items);
        }
        this.vectors = vectors;
        this.text = text;
        this.textTransposed = textTransposed;
        this.weights = weights;
        this.threads = threads;
        this.batch = batch;
        this.k = k;
    }

    /** Heap bytes per thread: a chunk of dense scores, the text accumulator, query and heaps. */
    public static long threadBytes(long items, int dimension, int k) {
        return 4L * CHUNK_ROWS * items + 8L * items + 4L * CHUNK_ROWS * dimension + 16L * k;
    }

    /** Heap bytes of one block's results for both outputs. */
    public static long blockBytes(long batch, int k) {
        return 2 * (8L * batch * k + 4L * batch) + 16L * k;
    }

    /** CPU seconds spent in the vector kernel so far, summed over the threads. */
    public double kernelCpuSeconds() {
        return kernelNanos.sum() / 1e9;
    }

    /** Computes rows {@code [fromRow, toRow)}; each sink gets every row, in order, from this thread. */
    public void run(int fromRow, int toRow, NeighborSink vectorSink, NeighborSink blendSink, BlockListener progress) {
        int total = toRow - fromRow;
        int capacity = Math.max(1, Math.min(batch, total));
        BlockResults vectorBlock = new BlockResults(capacity, k);
        BlockResults blendBlock = new BlockResults(capacity, k);
        int workers = Math.max(1, Math.min(threads, (capacity + CHUNK_ROWS - 1) / CHUNK_ROWS));
        Worker[] pool = new Worker[workers];
        for (int w = 0; w < workers; w++) {
            pool[w] = new Worker();
        }
        ExecutorService executor = workers > 1 ? Executors.newFixedThreadPool(workers - 1, VectorBlendSearch::daemon) : null;
        try {
            for (int start = fromRow; start < toRow; start += capacity) {
                int end = Math.min(toRow, start + capacity);
                computeBlock(pool, executor, start, end, vectorBlock, blendBlock);
                vectorBlock.emit(start, end, vectorSink);
                blendBlock.emit(start, end, blendSink);
                progress.blockDone(end - fromRow, total);
            }
        } finally {
            if (executor != null) {
                executor.shutdownNow();
            }
        }
    }

    private void computeBlock(Worker[] pool, ExecutorService executor, int start, int end,
                              BlockResults vectorBlock, BlockResults blendBlock) {
        AtomicInteger next = new AtomicInteger(start);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 1; w < pool.length; w++) {
            Worker worker = pool[w];
            running.add(executor.submit(() -> worker.fill(next, start, end, vectorBlock, blendBlock)));
        }
        RuntimeException failure = null;
        try {
            pool[0].fill(next, start, end, vectorBlock, blendBlock);
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            Workers.awaitAll(running);
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static Thread daemon(Runnable r) {
        Thread t = new Thread(r, "vector-worker");
        t.setDaemon(true);
        return t;
    }

    /** One thread's scratch: dense scores of a chunk, text accumulator, two heaps. */
    private final class Worker {
        private final int n = vectors.items;
        private final VectorKernel kernel = VectorKernel.of(vectors, CHUNK_ROWS);
        private final float[] vectorScores = new float[CHUNK_ROWS * n];
        private final double[] textScores = new double[n];
        private final TopKHeap vectorTop = new TopKHeap(k);
        private final TopKHeap blendTop = new TopKHeap(k);

        void fill(AtomicInteger next, int blockStart, int blockEnd, BlockResults vectorBlock, BlockResults blendBlock) {
            for (int first = next.getAndAdd(CHUNK_ROWS); first < blockEnd; first = next.getAndAdd(CHUNK_ROWS)) {
                int rows = Math.min(CHUNK_ROWS, blockEnd - first);
                long started = cpuClock.getCurrentThreadCpuTime();
                kernel.score(first, rows, vectorScores);
                kernelNanos.add(cpuClock.getCurrentThreadCpuTime() - started);
                for (int r = 0; r < rows; r++) {
                    int row = first + r;
                    int slot = row - blockStart;
                    searchRow(row, r * n);
                    vectorBlock.setCount(slot, vectorTop.drainSorted(vectorBlock.neighbors(), vectorBlock.scores(), vectorBlock.offset(slot)));
                    blendBlock.setCount(slot, blendTop.drainSorted(blendBlock.neighbors(), blendBlock.scores(), blendBlock.offset(slot)));
                }
            }
        }

        private void searchRow(int i, int offset) {
            accumulateText(i);
            boolean hasVector = vectors.present[i];
            boolean[] present = vectors.present;
            for (int j = 0; j < n; j++) {
                double textDot = textScores[j];
                textScores[j] = 0; // the pass visits every item, so it also clears the accumulator for the next row
                if (j == i) {
                    continue;
                }
                boolean vectorPair = hasVector && present[j];
                if (vectorPair) {
                    float vector = vectorScores[offset + j];
                    vectorTop.offer(j, vector);
                    blendTop.offer(j, weights.blend((float) textDot, vector));
                } else if (textDot > 0) {
                    blendTop.offer(j, weights.blend((float) textDot, 0f));
                }
            }
        }

        /** Canonical TF-IDF dot products of row i with every row sharing a term, into the zeroed accumulator. */
        private void accumulateText(int i) {
            for (int p = text.rowStart(i); p < text.rowEnd(i); p++) {
                double weight = text.valueAt(p);
                int term = text.colAt(p);
                for (int q = textTransposed.rowStart(term); q < textTransposed.rowEnd(term); q++) {
                    textScores[textTransposed.colAt(q)] += weight * textTransposed.valueAt(q);
                }
            }
        }
    }
}
