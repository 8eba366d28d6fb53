package dev.recstage.content.vector;

import dev.recstage.core.engine.BlockListener;
import dev.recstage.core.engine.BlockResults;
import dev.recstage.core.engine.CsrMatrix;
import dev.recstage.core.engine.NeighborSink;
import dev.recstage.core.engine.RowDots;
import dev.recstage.core.engine.RowTopK;
import dev.recstage.core.engine.SampledBar;
import dev.recstage.core.engine.TopKHeap;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Exact top-K over all pairs of items for two scores at once, from one pass of dense vector
 * scores: the embedding cosine ({@code vector_neighbors}) and the blend of TF-IDF cosine and
 * embedding cosine ({@code content_neighbors}).
 *
 * <p>Why dense: a pair with no common term can still be among the blend's best through its
 * vector score, so the blend's candidates are all pairs, not only those of the inverted index.
 * Each row's vector scores are computed against all items ({@link VectorKernel}).
 *
 * <p>The blend's text scores, without a pass over every posting of the row's terms: the row's
 * text top K comes from the text engine ({@link RowTopK}, canonical scores), and every other item's
 * text score is at most the list's last, t_K (0 when the list is shorter than K: it then holds
 * every item that shares a term). The blend grows with the text score (non-negative weights), so
 * an item outside the list with a vector scores at most blend(t_K, v_j); once K candidates are
 * kept, an item whose bound is below the K-th best blend cannot enter, and only the others have
 * their exact text score computed ({@link RowDots}). Items without a vector outside the list are
 * bounded by blend(t_K, 0); when that bound does not rule them out (a row without a vector, as a
 * rule) the row's blend is computed as before, from all its text scores ({@link TextRowScores}).
 * Either way the blend's list is the exact top K of all candidates, the same bits as a full pass.
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
    private final Supplier<RowTopK> textSearches;
    /** Whether some item has no vector (then a row's blend may need the full text scores). */
    private final boolean someWithoutVector;
    private final BlendWeights weights;
    private final int threads;
    private final int batch;
    private final int k;
    /** CPU time the threads spent in the vector kernel, apart from the text scores and the top-K selection. */
    private final LongAdder kernelNanos = new LongAdder();
    /** Rows whose blend took every text score (the bound did not rule out the items without a vector). */
    private final LongAdder fullTextRows = new LongAdder();
    private final ThreadMXBean cpuClock = ManagementFactory.getThreadMXBean();

    /**
     * @param text           L2-normalised TF-IDF rows of the same items (may have no columns)
     * @param textTransposed its transpose
     * @param textSearches   per-thread text top-K searches over {@code text} with K = {@code k}
     */
    public VectorBlendSearch(ItemVectors vectors, CsrMatrix text, CsrMatrix textTransposed, Supplier<RowTopK> textSearches,
                             BlendWeights weights, int threads, int batch, int k) {
        if (text.rows() != vectors.items) {
            throw new IllegalArgumentException("text has " + text.rows() + " rows, vectors " + vectors.items);
        }
        this.vectors = vectors;
        this.text = text;
        this.textTransposed = textTransposed;
        this.textSearches = textSearches;
        this.someWithoutVector = vectors.withVector() < vectors.items;
        this.weights = weights;
        this.threads = threads;
        this.batch = batch;
        this.k = k;
    }

    /**
     * Heap bytes per thread besides its text search (the engine's workspace): a chunk of dense
     * scores, the text accumulator of the full rows, the row spread over the terms, the offered
     * marks, the sample, query, text list and heaps.
     */
    public static long threadBytes(long items, long terms, int dimension, int k) {
        return 4L * CHUNK_ROWS * items + TextRowScores.bytesFor(items) + RowDots.bytesFor(terms) + 4L * items + SampledBar.bytes() + 4L * CHUNK_ROWS * dimension
                + 8L * k + 16L * k;
    }

    /** Heap bytes of one block's results for both outputs. */
    public static long blockBytes(long batch, int k) {
        return 2 * (8L * batch * k + 4L * batch) + 16L * k;
    }

    /** Rows so far whose blend took all their text scores. */
    public long fullTextRows() {
        return fullTextRows.sum();
    }

    /** CPU seconds spent in the vector kernel so far, summed over the threads. */
    public double kernelCpuSeconds() {
        return kernelNanos.sum() / 1e9;
    }

    /** Computes rows {@code [fromRow, toRow)}; each sink gets every row, in order, from this thread. */
    public void run(int fromRow, int toRow, NeighborSink vectorSink, NeighborSink blendSink, BlockListener progress) {
        new BlockedRows(threads, batch, CHUNK_ROWS, k).run(fromRow, toRow, Worker::new, vectorSink, blendSink, progress);
    }

    /** One thread's scratch: dense scores of a chunk, the text search and pair scores, two heaps. */
    private final class Worker implements BlockedRows.ChunkWorker {
        private final int n = vectors.items;
        private final VectorKernel kernel = VectorKernel.of(vectors, CHUNK_ROWS);
        private final float[] vectorScores = new float[CHUNK_ROWS * n];
        private final TextRowScores textScores = new TextRowScores(text, textTransposed);
        private final RowTopK textSearch = textSearches.get();
        private final RowDots textDots = new RowDots(text);
        /** offered[j] == i: item j has been offered to row i's blend. */
        private final int[] offered = new int[n];
        /** Sampled vector scores of a row (reordered by the guess). */
        private final float[] sample = new float[SampledBar.MAX_SAMPLE];
        private final int[] textBest = new int[k];
        private final float[] textBestScores = new float[k];
        private final TopKHeap vectorTop = new TopKHeap(k);
        private final TopKHeap blendTop = new TopKHeap(k);

        Worker() {
            Arrays.fill(offered, -1);
        }

        @Override
        public void fill(int first, int rows, int blockStart, BlockResults vectorBlock, BlockResults blendBlock) {
            long started = cpuClock.getCurrentThreadCpuTime();
            kernel.score(first, rows, vectorScores);
            kernelNanos.add(cpuClock.getCurrentThreadCpuTime() - started);
            for (int r = 0; r < rows; r++) {
                int row = first + r;
                int slot = row - blockStart;
                int offset = r * n;
                int vectorCount = vectorNeighbours(row, offset, vectorBlock, slot);
                if (!blendFromLists(row, offset, vectorBlock.neighbors(), vectorBlock.offset(slot), vectorCount)) {
                    fullTextRows.increment();
                    blendTop.clear();
                    blendFromAllTextScores(row, offset);
                }
                blendBlock.setCount(slot, blendTop.drainSorted(blendBlock.neighbors(), blendBlock.scores(), blendBlock.offset(slot)));
            }
        }

        /**
         * Row i's vector top K, into its slot of the block; returns how many. Only the items at or
         * above a sampled guess of the K-th best ({@link SampledBar}) pass through the heap when at
         * least K reach it: offered in item order, every item would cost the heap a comparison and
         * thousands of them a replacement of its worst entry.
         */
        private int vectorNeighbours(int i, int offset, BlockResults vectorBlock, int slot) {
            boolean[] present = vectors.present;
            if (present[i]) {
                float bar = sampledBar(i, offset);
                for (int j = 0; j < n; j++) {
                    if (present[j] && j != i && vectorScores[offset + j] >= bar) {
                        vectorTop.offer(j, vectorScores[offset + j]);
                    }
                }
            }
            int count = vectorTop.drainSorted(vectorBlock.neighbors(), vectorBlock.scores(), vectorBlock.offset(slot));
            vectorBlock.setCount(slot, count);
            return count;
        }

        /** A vector score that at least K other items reach, from a sample; -∞ when the guess is too high. */
        private float sampledBar(int i, int offset) {
            boolean[] present = vectors.present;
            int stride = SampledBar.stride(n);
            int size = 0;
            for (int j = 0; j < n; j += stride) {
                if (present[j] && j != i) {
                    sample[size++] = vectorScores[offset + j];
                }
            }
            float guess = SampledBar.guess(sample, size, n, k, Float.NEGATIVE_INFINITY);
            int reach = 0;
            for (int j = 0; j < n && reach < k; j++) {
                if (present[j] && j != i && vectorScores[offset + j] >= guess) {
                    reach++;
                }
            }
            return reach >= k ? guess : Float.NEGATIVE_INFINITY;
        }

        /**
         * The row's blend from its two lists (text top K, vector top K) and the other vector pairs
         * whose bound, blend(t_K, v_j), reaches the K-th best blend kept so far; false when the
         * bound cannot rule out the rest. The lists come first so that the K-th best kept is high
         * before the pass over every item.
         */
        private boolean blendFromLists(int i, int offset, int[] vectorList, int vectorListStart, int vectorCount) {
            boolean hasVector = vectors.present[i];
            boolean[] present = vectors.present;
            int count = textSearch.search(i, textBest, textBestScores, 0);
            for (int r = 0; r < count; r++) {
                int j = textBest[r];
                offered[j] = i;
                blendTop.offer(j, weights.blend(textBestScores[r], hasVector && present[j] ? vectorScores[offset + j] : 0f));
            }
            float textBound = count == k ? textBestScores[k - 1] : 0f;
            if (hasVector) {
                textDots.load(i);
                for (int r = 0; r < vectorCount; r++) {
                    offerVectorPair(i, vectorList[vectorListStart + r], offset, textBound);
                }
                for (int j = 0; j < n; j++) {
                    if (present[j] && j != i) {
                        offerVectorPair(i, j, offset, textBound);
                    }
                }
            }
            // Outside the list, an item without a vector (or any item, for a row without one) scores at most blend(t_K, 0).
            boolean restOutOfReach = blendTop.isFull() && weights.blend(textBound, 0f) < blendTop.worstScore();
            return count < k || (hasVector && !someWithoutVector) || restOutOfReach;
        }

        /** Offers item j (with a vector) once, unless its bound, blend(t_K, v_j), is below the K-th best kept. */
        private void offerVectorPair(int i, int j, int offset, float textBound) {
            if (offered[j] == i) {
                return;
            }
            float vector = vectorScores[offset + j];
            if (!blendTop.isFull() || weights.blend(textBound, vector) >= blendTop.worstScore()) {
                offered[j] = i;
                blendTop.offer(j, weights.blend(textDots.dot(j), vector));
            }
        }

        /** The row's blend over every item, with all its text scores accumulated. */
        private void blendFromAllTextScores(int i, int offset) {
            boolean hasVector = vectors.present[i];
            textScores.accumulate(i);
            boolean[] present = vectors.present;
            for (int j = 0; j < n; j++) {
                double textDot = textScores.score(j);
                if (j == i) {
                    continue;
                }
                if (hasVector && present[j]) {
                    blendTop.offer(j, weights.blend((float) textDot, vectorScores[offset + j]));
                } else if (textDot > 0) {
                    blendTop.offer(j, weights.blend((float) textDot, 0f));
                }
            }
            textScores.clear();
        }
    }
}
