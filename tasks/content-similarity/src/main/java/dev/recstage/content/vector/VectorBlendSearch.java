package dev.recstage.content.vector;

import dev.recstage.core.engine.BlockListener;
import dev.recstage.core.engine.BlockResults;
import dev.recstage.core.engine.CsrMatrix;
import dev.recstage.core.engine.NeighborSink;
import dev.recstage.core.engine.TopKHeap;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
 * are computed in blocks ({@link BlockedRows}); each row's result depends on the row alone, so the
 * output is the same for every thread count, batch size and shard.
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
        return 4L * CHUNK_ROWS * items + TextRowScores.bytesFor(items) + 4L * CHUNK_ROWS * dimension + 16L * k;
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
        new BlockedRows(threads, batch, CHUNK_ROWS, k).run(fromRow, toRow, Worker::new, vectorSink, blendSink, progress);
    }

    /** One thread's scratch: dense scores of a chunk, text accumulator, two heaps. */
    private final class Worker implements BlockedRows.ChunkWorker {
        private final int n = vectors.items;
        private final VectorKernel kernel = VectorKernel.of(vectors, CHUNK_ROWS);
        private final float[] vectorScores = new float[CHUNK_ROWS * n];
        private final TextRowScores textScores = new TextRowScores(text, textTransposed);
        private final TopKHeap vectorTop = new TopKHeap(k);
        private final TopKHeap blendTop = new TopKHeap(k);

        @Override
        public void fill(int first, int rows, int blockStart, BlockResults vectorBlock, BlockResults blendBlock) {
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

        private void searchRow(int i, int offset) {
            textScores.accumulate(i);
            boolean hasVector = vectors.present[i];
            boolean[] present = vectors.present;
            for (int j = 0; j < n; j++) {
                double textDot = textScores.score(j);
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
            textScores.clear();
        }
    }
}
