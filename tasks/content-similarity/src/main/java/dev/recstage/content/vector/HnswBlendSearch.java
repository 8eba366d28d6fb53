package dev.recstage.content.vector;

import dev.recstage.core.engine.BlockListener;
import dev.recstage.core.engine.BlockResults;
import dev.recstage.core.engine.CsrMatrix;
import dev.recstage.core.engine.NeighborSink;
import dev.recstage.core.engine.RowDots;
import dev.recstage.core.engine.RowTopK;
import dev.recstage.core.engine.TopKHeap;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Vector and blended neighbours of every item from an {@link HnswIndex}, without the all-pairs
 * pass of {@link VectorBlendSearch}: for scale, where O(n²·d) no longer fits the time.
 *
 * <p>Vector neighbours: the best K of the item's HNSW search (beam ef_search ≥ K), scored by the
 * index's cosine. Blend: the candidates of both channels, each rescored exactly with the blend
 * ({@link BlendWeights}, text from the canonical TF-IDF dot product): the index's ef_search results
 * and the text's exact top K, from the text engine's own search ({@link RowTopK}: the lists a
 * text-only run writes). A vector candidate's text score is its dot product with the row
 * ({@link RowDots}), a text candidate's vector score the index's cosine: a row costs its text
 * search, its graph search and about ef_search + K pair scores, never a pass over every item that
 * shares a term. A pair that is neither among an item's ef_search nearest vectors nor among its K
 * best texts is missed; the bench measures how often against the exact blend.
 *
 * <p>Rows run in blocks over the threads ({@link BlockedRows}); each row's result depends on the
 * row alone and the graph is built once, so the output is the same for every thread count.
 */
public final class HnswBlendSearch {
    private static final int CHUNK_ROWS = 16;

    private final UnitRows rows;
    private final HnswIndex index;
    private final CsrMatrix text;
    private final Supplier<RowTopK> textSearches;
    private final BlendWeights weights;
    private final int threads;
    private final int batch;
    private final int k;
    private final int efSearch;
    /** Vectors scored by the graph searches, summed over the threads. */
    private final LongAdder visited = new LongAdder();

    /**
     * @param text         L2-normalised TF-IDF rows, one per item
     * @param textSearches per-thread text top-K searches over {@code text} with K = {@code k}
     */
    public HnswBlendSearch(UnitRows rows, HnswIndex index, CsrMatrix text, Supplier<RowTopK> textSearches, BlendWeights weights,
                           int threads, int batch, int k, int efSearch) {
        if (text.rows() != rows.items()) {
            throw new IllegalArgumentException("text has " + text.rows() + " rows, vectors " + rows.items());
        }
        if (efSearch < k) {
            throw new IllegalArgumentException("ef_search " + efSearch + " is below K " + k);
        }
        this.rows = rows;
        this.index = index;
        this.text = text;
        this.textSearches = textSearches;
        this.weights = weights;
        this.threads = threads;
        this.batch = batch;
        this.k = k;
        this.efSearch = efSearch;
    }

    /**
     * Heap bytes per thread besides its text search (the engine's workspace): the row spread over
     * the terms, the rows' marks, graph search scratch and results, the text list, two heaps.
     */
    public static long threadBytes(long items, long terms, int k, int efSearch) {
        return RowDots.bytesFor(terms) + 4L * items + HnswIndex.searchBytes(items, efSearch) + 8L * efSearch + 8L * k + 2 * 16L * k;
    }

    /** Vectors scored by the graph searches so far (a brute force scores every vector for every row). */
    public long visited() {
        return visited.sum();
    }

    /** Computes rows {@code [fromRow, toRow)}; each sink gets every row, in order, from this thread. */
    public void run(int fromRow, int toRow, NeighborSink vectorSink, NeighborSink blendSink, BlockListener progress) {
        new BlockedRows(threads, batch, CHUNK_ROWS, k).run(fromRow, toRow, Worker::new, vectorSink, blendSink, progress, () -> { });
    }

    /** One thread's scratch. */
    private final class Worker implements BlockedRows.ChunkWorker {
        private final HnswIndex.Searcher searcher = index.searcher();
        private final RowTopK textSearch = textSearches.get();
        private final RowDots textDots = new RowDots(text);
        /** marked[j] == i: item j is already a blend candidate of row i. */
        private final int[] marked = new int[rows.items()];
        private final int[] foundOrds = new int[efSearch];
        private final float[] foundScores = new float[efSearch];
        private final int[] textBest = new int[k];
        private final float[] textBestScores = new float[k];
        private final TopKHeap vectorTop = new TopKHeap(k);
        private final TopKHeap blendTop = new TopKHeap(k);

        Worker() {
            Arrays.fill(marked, -1);
        }

        @Override
        public void fill(int first, int count, int blockStart, BlockResults vectorBlock, BlockResults blendBlock) {
            long before = searcher.visited();
            for (int row = first; row < first + count; row++) {
                int slot = row - blockStart;
                searchRow(row);
                vectorBlock.setCount(slot, vectorTop.drainSorted(vectorBlock.neighbors(), vectorBlock.scores(), vectorBlock.offset(slot)));
                blendBlock.setCount(slot, blendTop.drainSorted(blendBlock.neighbors(), blendBlock.scores(), blendBlock.offset(slot)));
            }
            visited.add(searcher.visited() - before);
        }

        private void searchRow(int i) {
            int best = textSearch.search(i, textBest, textBestScores, 0);
            textDots.load(i);
            int ord = rows.ordOf(i);
            if (ord >= 0) {
                int found = searcher.search(ord, efSearch, foundOrds, foundScores);
                for (int r = 0; r < found; r++) {
                    int j = rows.itemOf(foundOrds[r]);
                    if (j != i) {
                        vectorTop.offer(j, foundScores[r]);
                        marked[j] = i;
                        blendTop.offer(j, weights.blend(textDots.dot(j), foundScores[r]));
                    }
                }
            }
            for (int r = 0; r < best; r++) {
                int j = textBest[r];
                if (marked[j] != i) {
                    int other = rows.ordOf(j);
                    float vector = ord >= 0 && other >= 0 ? index.score(ord, other) : 0f;
                    blendTop.offer(j, weights.blend(textBestScores[r], vector));
                }
            }
        }
    }
}
