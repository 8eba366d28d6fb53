package dev.recstage.content.vector;

import dev.recstage.core.engine.BlockListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;

/**
 * An HNSW graph over the unit vectors, from Lucene ({@code org.apache.lucene.util.hnsw}): Lucene is
 * already the stage's text analysis dependency, well maintained, pure Java (nothing native, no
 * reflection, so it runs in a native image) and its graph builder takes a seed. jvector would be a
 * second, younger library for the same job.
 *
 * <p>Built once per run on one thread, nodes added in ordinal order with a fixed seed: the graph is
 * the same on every run. (Lucene's concurrent builder is faster but its graph depends on the
 * threads' timing.) Searches over the finished graph are read-only and may run on many threads,
 * each with its own {@link Searcher}; an item's result depends on its vector alone, so the output
 * is the same for every thread count.
 */
public final class HnswIndex {
    private final UnitRowScorers scorers;
    private final OnHeapHnswGraph graph;

    private HnswIndex(UnitRowScorers scorers, OnHeapHnswGraph graph) {
        this.scorers = scorers;
        this.graph = graph;
    }

    /** Builds the graph; {@code progress} hears of every tenth of the nodes added. */
    public static HnswIndex build(UnitRows rows, HnswParameters parameters, BlockListener progress) {
        UnitRowScorers scorers = new UnitRowScorers(rows, Dot.of());
        int size = rows.size();
        try {
            HnswGraphBuilder builder = HnswGraphBuilder.create(scorers, parameters.m(), parameters.efConstruction(), parameters.seed());
            int step = Math.max(1, size / 10);
            for (int ord = 0; ord < size; ord++) {
                builder.addGraphNode(ord);
                if ((ord + 1) % step == 0 || ord + 1 == size) {
                    progress.blockDone(ord + 1, size);
                }
            }
            return new HnswIndex(scorers, builder.getCompletedGraph());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the vectors are on the heap: not expected
        }
    }

    /**
     * Planned heap bytes of the graph of {@code items} nodes: on level 0 each node has room for
     * 2m+1 neighbours (an int id and a float score each), on each upper level m+1; a node reaches
     * level l with probability m^-l, so the upper levels hold about items/(m-1) nodes. Each
     * neighbour array carries about 100 bytes of objects and headers.
     */
    public static long graphBytes(long items, int m) {
        long level0 = items * (8L * (2 * m + 1) + 100);
        long upper = (items / Math.max(1, m - 1) + 1) * (8L * (m + 1) + 100);
        return level0 + upper;
    }

    /** Heap bytes of one searcher's scratch while it runs with beam {@code ef}: visited set, queues, results. */
    public static long searchBytes(long items, int ef) {
        return items / 8 + 64L * ef;
    }

    /** The graph's heap bytes as Lucene counts them. */
    public long graphBytesUsed() {
        return graph.ramBytesUsed();
    }

    public int levels() {
        return graph.numLevels();
    }

    /** Cosine of two ordinals, the same bits as the searches' scores. */
    float score(int a, int b) {
        return scorers.score(a, b);
    }

    /** A search cursor for one thread. */
    Searcher searcher() {
        return new Searcher();
    }

    /** One thread's searches. */
    final class Searcher {
        private final GraphCursor cursor = new GraphCursor(graph);

        private long visited;

        /** Vectors scored by this searcher's searches so far. */
        long visited() {
            return visited;
        }

        /**
         * The best {@code ef} ordinals for ordinal {@code query}'s vector (itself among them, as a rule),
         * best first, into {@code ords} and {@code scores}; returns how many.
         */
        int search(int query, int ef, int[] ords, float[] scores) {
            TopKnnCollector collector = new TopKnnCollector(ef, Integer.MAX_VALUE);
            try {
                HnswGraphSearcher.search(scorers.scorer(query), collector, cursor, null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            visited += collector.visitedCount();
            ScoreDoc[] found = collector.topDocs().scoreDocs;
            for (int r = 0; r < found.length; r++) {
                ords[r] = found[r].doc;
                scores[r] = found[r].score;
            }
            return found.length;
        }
    }
}
