package dev.recstage.content.vector;

import dev.recstage.core.engine.BlockListener;
import dev.recstage.core.engine.BlockResults;
import dev.recstage.core.engine.CandidateOrder;
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
import java.util.stream.IntStream;

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
 * their exact text score computed ({@link RowDots}). The text search, having just scored the row,
 * tightens each item's bound to what it knows of that item's text score
 * ({@link RowTopK#scoreAtMost}), which rules out most items whose text score t_K overstates.
 * Items without a vector outside the list are bounded by blend(t_K, 0); when that bound does not
 * rule them out (a row without a vector, as a rule) the row's blend is computed as before, from all
 * its text scores ({@link TextRowScores}).
 * Either way the blend's list is the exact top K of all candidates, the same bits as a full pass.
 *
 * <p>Candidates: for vectors, pairs of distinct items that both have a vector; for the blend,
 * those plus the pairs that share a term (the vector score of an item without vector is 0). Rows
 * are computed in blocks ({@link BlockedRows}); each row's result depends on the row alone, so the
 * output is the same for every thread count, batch size and shard.
 */
public final class VectorBlendSearch {
    /** Query rows scored together by one thread: they share each panel of vectors while it is in cache. */
    static final int CHUNK_ROWS = 64;

    private final ItemVectors vectors;
    private final CsrMatrix text;
    private final CsrMatrix textTransposed;
    private final Supplier<RowTopK> textSearches;
    /**
     * The items without a vector, in order: masked out of every row's vector scores; while there
     * are any, a row's blend may need its full text scores.
     */
    private final int[] withoutVector;
    private final BlendWeights weights;
    private final int threads;
    private final int batch;
    private final int k;
    /** CPU time the threads spent in the vector kernel, apart from the text scores and the top-K selection. */
    private final LongAdder kernelNanos = new LongAdder();
    /** Rows whose blend took every text score (the bound did not rule out the items without a vector). */
    private final LongAdder fullTextRows = new LongAdder();
    /** Exact text sums the blend computed for items outside the text list (its main cost beside the kernel). */
    private final LongAdder textSums = new LongAdder();
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
        this.withoutVector = IntStream.range(0, vectors.items).filter(j -> !vectors.present[j]).toArray();
        this.weights = weights;
        this.threads = threads;
        this.batch = batch;
        this.k = k;
    }

    /**
     * Heap bytes per thread besides its text search (the engine's workspace): a chunk of dense
     * scores, the text accumulator of the full rows, the row spread over the terms, the offered
     * marks and candidates, the sample, query, text list, the vector order and the blend heap.
     */
    public static long threadBytes(long items, long terms, int dimension, int k) {
        return 4L * scoresLength(ItemVectors.paddedItems(items)) + TextRowScores.bytesFor(items) + RowDots.bytesFor(terms) + 2 * 4L * items + SampledBar.bytes() + 4L * CHUNK_ROWS * dimension
                + CandidateOrder.bytesFor(items) + 12L * k + 8L * k;
    }

    /** A chunk's vector scores, rows of {@code paddedItems}, with room to start on a cache line. */
    private static long scoresLength(long paddedItems) {
        return CHUNK_ROWS * paddedItems + CacheLines.FLOAT_SLACK;
    }

    /** Heap bytes of one block's results for both outputs. */
    public static long blockBytes(long batch, int k) {
        return 2 * (8L * batch * k + 4L * batch) + 16L * k;
    }

    /** Rows so far whose blend took all their text scores. */
    public long fullTextRows() {
        return fullTextRows.sum();
    }

    /** Exact text sums computed so far for items outside the rows' text lists. */
    public long textSums() {
        return textSums.sum();
    }

    /** CPU seconds spent in the vector kernel so far, summed over the threads. */
    public double kernelCpuSeconds() {
        return kernelNanos.sum() / 1e9;
    }

    /** Computes rows {@code [fromRow, toRow)}; each sink gets every row, in order, from this thread. */
    public void run(int fromRow, int toRow, NeighborSink vectorSink, NeighborSink blendSink, BlockListener progress) {
        // The collector may have moved the vectors off their cache line since the last block.
        new BlockedRows(threads, batch, CHUNK_ROWS, k).run(fromRow, toRow, Worker::new, vectorSink, blendSink, progress, vectors::realign);
    }

    /** One thread's scratch: dense scores of a chunk, the text search and pair scores, the vector order and the blend heap. */
    private final class Worker implements BlockedRows.ChunkWorker {
        private final int n = vectors.items;
        private final VectorKernel kernel = VectorKernel.of(vectors, CHUNK_ROWS);
        /** The chunk's vector scores: row r at {@code at + r·stride}, each row on whole cache lines. */
        private final float[] vectorScores = new float[Math.toIntExact(scoresLength(vectors.paddedItems()))];
        private final int stride = vectors.paddedItems();
        private final TextRowScores textScores = new TextRowScores(text, textTransposed);
        private final RowTopK textSearch = textSearches.get();
        private final RowDots textDots = new RowDots(text);
        /** offered[j] == i: item j has been offered to row i's blend. */
        private final int[] offered = new int[n];
        /** The row's candidates for both searches, in item order. */
        private final int[] candidate = new int[n];
        /** The vector list's items whose blend must be computed. */
        private final int[] listWithinReach = new int[k];
        /** Where the current row's vector scores start in {@link #vectorScores}. */
        private int rowOffset;
        /** Sampled vector scores of a row (reordered by the guess). */
        private final float[] sample = new float[SampledBar.MAX_SAMPLE];
        private final int[] textBest = new int[k];
        private final float[] textBestScores = new float[k];
        /** Ranks the row's vector candidates: thousands per row, too many for a heap's sifts. */
        private final CandidateOrder vectorOrder = new CandidateOrder(n, k);
        private final TopKHeap blendTop = new TopKHeap(k);
        private final RowDots.Sums offerToBlend = (j, sum) -> blendTop.offer(j, weights.blend((float) sum, vectorScores[rowOffset + j]));

        Worker() {
            Arrays.fill(offered, -1);
        }

        @Override
        public void fill(int first, int rows, int blockStart, BlockResults vectorBlock, BlockResults blendBlock) {
            long started = cpuClock.getCurrentThreadCpuTime();
            // Scratch only: wherever the collector has moved the array, the chunk starts on a line.
            int at = Math.max(0, CacheLines.floatsToLineStart(vectorScores));
            kernel.score(first, rows, vectorScores, at);
            kernelNanos.add(cpuClock.getCurrentThreadCpuTime() - started);
            for (int r = 0; r < rows; r++) {
                int row = first + r;
                int slot = row - blockStart;
                if (!searchRow(row, at + r * stride, vectorBlock, slot)) {
                    fullTextRows.increment();
                    blendTop.clear();
                    blendFromAllTextScores(row, at + r * stride);
                }
                blendBlock.setCount(slot, blendTop.drainSorted(blendBlock.neighbors(), blendBlock.scores(), blendBlock.offset(slot)));
            }
        }

        /**
         * Row i's vector top K into its slot of the vector block, and its blend into {@link #blendTop}
         * from the text list, the vector list and the other vector pairs whose bound,
         * blend(t_K, v_j), reaches the K-th best blend kept; false when that bound cannot rule out
         * the items without a vector (the caller then takes every text score).
         *
         * <p>The text list is offered first, so that its K-th best blend (when it fills the heap)
         * gives a floor on v_j below which no other item can enter the blend. One pass over the
         * row's scores then keeps the candidates of both searches: the items at or above the
         * lower of that floor and a sampled guess of the vector K-th best ({@link SampledBar}).
         * Both searches rank only those candidates; every other item is out of reach of both.
         */
        private boolean searchRow(int i, int offset, BlockResults vectorBlock, int slot) {
            boolean hasVector = vectors.present[i];
            int count = textSearch.search(i, textBest, textBestScores, 0);
            for (int r = 0; r < count; r++) {
                int j = textBest[r];
                offered[j] = i;
                blendTop.offer(j, weights.blend(textBestScores[r], hasVector && vectors.present[j] ? vectorScores[offset + j] : 0f));
            }
            float textBound = count == k ? textBestScores[k - 1] : 0f;
            int vectorCount = 0;
            if (hasVector) {
                maskNonCandidates(i, offset);
                float bar = sampledBar(offset);
                int candidates = collect(offset, Math.min(bar, Math.max(blendFloor(textBound), vectorListFloor(textBound, bar))));
                if (bar > Float.NEGATIVE_INFINITY && reaching(offset, candidates, bar) < k) {
                    bar = Float.NEGATIVE_INFINITY;
                    candidates = collect(offset, bar);
                }
                for (int c = 0; c < candidates; c++) {
                    int j = candidate[c];
                    if (vectorScores[offset + j] >= bar) {
                        vectorOrder.add(j, vectorScores[offset + j]);
                    }
                }
                int at = vectorBlock.offset(slot);
                vectorCount = vectorOrder.sortBestInto(vectorBlock.neighbors(), vectorBlock.scores(), at); // sums from +0: never -0
                textDots.load(i);
                rowOffset = offset;
                int listReaching = withinReach(i, offset, vectorBlock.neighbors(), at, vectorCount, textBound, listWithinReach);
                textDots.dots(listWithinReach, listReaching, offerToBlend);
                int othersReaching = withinReach(i, offset, candidate, 0, candidates, textBound, candidate);
                textDots.dots(candidate, othersReaching, offerToBlend);
                textSums.add(listReaching + othersReaching);
            }
            vectorBlock.setCount(slot, vectorCount);
            // Outside the list, an item without a vector (or any item, for a row without one) scores at most blend(t_K, 0).
            boolean restOutOfReach = blendTop.isFull() && weights.blend(textBound, 0f) < blendTop.worstScore();
            return count < k || (hasVector && withoutVector.length == 0) || restOutOfReach;
        }

        /**
         * The least vector score with which an item outside the text list (text score at most
         * t_K) can still enter the blend kept so far; -∞ while the heap is not full.
         */
        private float blendFloor(float textBound) {
            return blendTop.isFull() ? weights.leastVectorReaching(textBound, blendTop.worstScore()) : Float.NEGATIVE_INFINITY;
        }

        /**
         * Sets the row's own score and those of the items without a vector to NaN, which no
         * comparison passes: the passes below then need no test per item.
         */
        private void maskNonCandidates(int i, int offset) {
            vectorScores[offset + i] = Float.NaN;
            for (int j : withoutVector) {
                vectorScores[offset + j] = Float.NaN;
            }
        }

        /**
         * A floor on v_j for the blend from the vector list alone, before any of it is offered: when
         * K items reach the bar (checked after the pass; if not, the pass is done again with none),
         * each blends to at least blend(0, bar), so the K-th best blend does too, and an item
         * outside the text list needs blend(t_K, v_j) to reach it. Without it, a row whose text list
         * is short (few items share its terms) took every item as a candidate of its blend.
         */
        private float vectorListFloor(float textBound, float bar) {
            return weights.leastVectorReaching(textBound, weights.blend(0f, bar));
        }

        /** A vector score that at least K other items reach, from a sample; -∞ when the sample cannot say. */
        private float sampledBar(int offset) {
            int stride = SampledBar.stride(n);
            int size = 0;
            for (int j = 0; j < n; j += stride) {
                float v = vectorScores[offset + j];
                if (v == v) {
                    sample[size++] = v;
                }
            }
            return SampledBar.guess(sample, size, n, k, Float.NEGATIVE_INFINITY);
        }

        /** Puts the items scoring at least {@code least} into {@link #candidate}, in item order; returns how many. */
        private int collect(int offset, float least) {
            int count = 0;
            for (int j = 0; j < n; j++) {
                candidate[count] = j;
                count += vectorScores[offset + j] >= least ? 1 : 0;
            }
            return count;
        }

        private int reaching(int offset, int candidates, float bar) {
            int reach = 0;
            for (int c = 0; c < candidates; c++) {
                reach += vectorScores[offset + candidate[c]] >= bar ? 1 : 0;
            }
            return reach;
        }

        /**
         * Puts the items of {@code items[from, from + count)} not yet offered to row i's blend whose
         * bound reaches the K-th best blend kept into {@code within}, in order, and marks them
         * offered; returns how many. The bound is blend(t_j, v_j) with t_j the lesser of t_K and
         * what the text search, which has just scored the row, says of item j's text score
         * ({@link RowTopK#scoreAtMost}: its exact score, or its approximation's error bound), so
         * that most items are ruled out without their text sum. Their exact blends are then
         * computed together ({@link RowDots#dots}): offering them one at a time would wait on each
         * text sum in turn.
         * {@code within} may be {@code items} itself (from 0): it is written behind the read.
         */
        private int withinReach(int i, int offset, int[] items, int from, int count, float textBound, int[] within) {
            float floor = blendFloor(textBound);
            boolean full = blendTop.isFull();
            float worst = full ? blendTop.worstScore() : 0f;
            int kept = 0;
            for (int c = from; c < from + count; c++) {
                int j = items[c];
                float v = vectorScores[offset + j];
                if (offered[j] != i && v >= floor
                        && !(full && weights.blend(Math.min(textSearch.scoreAtMost(j), textBound), v) < worst)) {
                    offered[j] = i;
                    within[kept++] = j;
                }
            }
            return kept;
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
