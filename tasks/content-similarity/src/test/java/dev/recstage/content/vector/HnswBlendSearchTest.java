package dev.recstage.content.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.core.engine.BlockListener;
import dev.recstage.core.engine.CsrMatrix;
import dev.recstage.core.engine.PairScorer;
import dev.recstage.core.engine.RowTopK;
import dev.recstage.core.engine.TopKEngine;
import dev.recstage.core.features.FeaturesInput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HNSW path against independent references: its vector lists against a double-precision brute
 * force, its blend against the exact all-pairs blend ({@link VectorBlendSearch}); determinism of
 * the graph and of the searches over threads and batches; the graph's planned memory.
 */
class HnswBlendSearchTest {
    /** The defaults of .env.memory. */
    private static final HnswParameters DEFAULTS = new HnswParameters(16, 100, 400, HnswParameters.SEED);
    private static final int N = 4000;
    private static final int D = 48;
    private static final int K = 200;

    private static float[] raw;
    private static UnitRows rows;
    private static HnswIndex index;
    private static CsrMatrix text;

    @BeforeAll
    static void buildOnce() {
        raw = clustered(N, D, 60, 5);
        raw[11 * D + 3] = Float.NaN; // items 11 (NaN) and 12 (zero) have no vector, as the stage treats them
        Arrays.fill(raw, 12 * D, 13 * D, 0f);
        rows = unitRows();
        index = HnswIndex.build(rows, DEFAULTS, (done, total) -> { });
        text = randomText(N, 400, 6, 9);
    }

    @Test
    void vectorRecallAtKAgainstADoublePrecisionBruteForceIsAtLeast95PercentAtTheDefaults() {
        List<int[]> exact = bruteForce();
        double recall = recall(exact, vectorLists(search(index, DEFAULTS.efSearch(), 2, 500)));
        assertTrue(recall >= 0.95, "recall@" + K + " " + recall);
        // The same check sees a poor index: a sparse graph searched with the smallest beam loses neighbours.
        HnswParameters poor = new HnswParameters(2, 4, K, HnswParameters.SEED);
        HnswIndex sparse = HnswIndex.build(rows, poor, (done, total) -> { });
        double poorRecall = recall(exact, vectorLists(search(sparse, K, 2, 500)));
        assertTrue(poorRecall < 0.9 && poorRecall < recall, "recall of M=2, ef=K: " + poorRecall + " against " + recall);
    }

    @Test
    void theBlendFromBothChannelsCandidatesFindsTheExactBlendsNeighbours() {
        BlendWeights weights = new BlendWeights(0.7, 0.3);
        List<int[]> exact = new ArrayList<>();
        ItemVectors vectors = ItemVectors.of(new FeaturesInput.Embeddings(D, raw), N);
        new VectorBlendSearch(vectors, text, text.transpose(), textSearches(), weights, 2, 500, K)
                .run(0, N, (row, nb, sc, count) -> { }, (row, nb, sc, count) -> exact.add(Arrays.copyOf(nb, count)), (d, t) -> { });
        List<int[]> approximate = new ArrayList<>();
        new HnswBlendSearch(rows, index, text, textSearches(), weights, 2, 500, K, DEFAULTS.efSearch())
                .run(0, N, (row, nb, sc, count) -> { }, (row, nb, sc, count) -> approximate.add(Arrays.copyOf(nb, count)), (d, t) -> { });
        double recall = recall(exact, approximate);
        assertTrue(recall >= 0.95, "blend recall@" + K + " " + recall);
    }

    @Test
    void eachBlendScoreIsThePairsTextAndVectorScoreAndNoTextCandidateBeatsTheList() {
        BlendWeights weights = new BlendWeights(0.7, 0.3);
        float[][] textScores = new float[N][];
        int[][] textLists = new int[N][];
        new TopKEngine(2, 100).run(text, text.transpose(), PairScorer.cosine(), K, 0, N, (row, nb, sc, count) -> {
            textLists[row] = Arrays.copyOf(nb, count);
            textScores[row] = Arrays.copyOf(sc, count);
        }, BlockListener.NONE);
        int[] checked = new int[2];
        new HnswBlendSearch(rows, index, text, textSearches(), weights, 2, 500, K, DEFAULTS.efSearch()).run(0, N, (row, nb, sc, count) -> { },
                (row, nb, sc, count) -> {
                    Set<Integer> listed = new HashSet<>();
                    for (int r = 0; r < count; r++) {
                        float expected = weights.blend(textScore(row, nb[r]), vectorScore(row, nb[r]));
                        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(sc[r]), "row " + row + ", neighbour " + nb[r]);
                        listed.add(nb[r]);
                    }
                    for (int r = 0; r < textLists[row].length; r++) {
                        int j = textLists[row][r];
                        if (!listed.contains(j)) {
                            float blend = weights.blend(textScores[row][r], vectorScore(row, j));
                            assertTrue(count == K && blend <= sc[K - 1], "row " + row + ": text candidate " + j + " (" + blend + ") left out");
                            checked[1]++;
                        }
                    }
                    checked[0] += count;
                }, (d, t) -> { });
        assertTrue(checked[0] > N * (K - 1) && checked[1] > N, "blend entries checked " + checked[0] + ", text candidates left out " + checked[1]);
    }

    /** Row i's TF-IDF dot product with row j, summed in double over their shared terms (the canonical score). */
    private static float textScore(int i, int j) {
        Map<Integer, Float> terms = new HashMap<>();
        for (int p = text.rowStart(i); p < text.rowEnd(i); p++) {
            terms.put(text.colAt(p), text.valueAt(p));
        }
        double sum = 0;
        for (int p = text.rowStart(j); p < text.rowEnd(j); p++) {
            Float w = terms.get(text.colAt(p));
            sum += w == null ? 0 : (double) w * text.valueAt(p);
        }
        return (float) sum;
    }

    /** The index's cosine of two items, 0 when either has no vector. */
    private static float vectorScore(int i, int j) {
        int a = rows.ordOf(i);
        int b = rows.ordOf(j);
        return a >= 0 && b >= 0 ? index.score(a, b) : 0f;
    }

    @Test
    void outputsAreTheSameForEveryThreadCountAndBatchAndForARebuiltGraph() {
        String reference = render(search(index, DEFAULTS.efSearch(), 1, N));
        assertEquals(reference, render(search(index, DEFAULTS.efSearch(), 2, 37)));
        HnswIndex rebuilt = HnswIndex.build(unitRows(), DEFAULTS, (d, t) -> { });
        assertEquals(reference, render(search(rebuilt, DEFAULTS.efSearch(), 2, 500)));
        assertTrue(reference.contains("\n11:|") && reference.contains("\n12:|"), "items without a vector have no vector neighbours");
        String vectorLists = reference.substring(0, reference.indexOf("blend\n"));
        assertTrue(!vectorLists.contains(" 11=") && !vectorLists.contains(" 12="), "items without a vector are nobody's vector neighbour");
    }

    @Test
    void rowsNormalisedInPlaceAreThePanelsFloatsPackedInItemOrder() {
        ItemVectors panels = ItemVectors.of(new FeaturesInput.Embeddings(D, raw), N);
        assertEquals(N - 2, rows.size());
        int ord = 0;
        for (int item = 0; item < N; item++) {
            assertEquals(panels.present(item), rows.ordOf(item) >= 0, "item " + item);
            if (!panels.present(item)) {
                continue;
            }
            assertEquals(ord, rows.ordOf(item));
            assertEquals(item, rows.itemOf(ord));
            for (int k = 0; k < D; k++) {
                assertEquals(Float.floatToIntBits(panels.component(item, k)), Float.floatToIntBits(rows.values[ord * D + k]), "item " + item + ", component " + k);
            }
            ord++;
        }
    }

    @Test
    void thePlannedGraphBytesCoverWhatLuceneCounts() {
        long planned = HnswIndex.graphBytes(rows.size(), DEFAULTS.m());
        long used = index.graphBytesUsed();
        assertTrue(planned >= used && planned <= 2 * used, "planned " + planned + ", Lucene counts " + used);
    }

    /** The stage's rows, from a copy of the raw vectors (they are normalised in their own array). */
    private static UnitRows unitRows() {
        return UnitRows.inPlace(new FeaturesInput.Embeddings(D, raw.clone()), N);
    }

    private static HnswBlendSearch search(HnswIndex graph, int ef, int threads, int batch) {
        return new HnswBlendSearch(rows, graph, text, textSearches(), new BlendWeights(0.5, 0.5), threads, batch, K, ef);
    }

    private static Supplier<RowTopK> textSearches() {
        return new TopKEngine(1, 1).rowSearches(text, text.transpose(), PairScorer.cosine(), K);
    }

    private static List<int[]> vectorLists(HnswBlendSearch search) {
        List<int[]> lists = new ArrayList<>();
        search.run(0, N, (row, nb, sc, count) -> lists.add(Arrays.copyOf(nb, count)), (row, nb, sc, count) -> { }, (d, t) -> { });
        return lists;
    }

    /** Both lists of every row with the scores' bits. */
    private static String render(HnswBlendSearch search) {
        StringBuilder vectors = new StringBuilder("\n");
        StringBuilder blend = new StringBuilder();
        search.run(0, N, (row, nb, sc, count) -> append(vectors, row, nb, sc, count), (row, nb, sc, count) -> append(blend, row, nb, sc, count),
                (d, t) -> { });
        return vectors.append("blend\n").append(blend).toString();
    }

    private static void append(StringBuilder out, int row, int[] nb, float[] sc, int count) {
        out.append(row).append(":|");
        for (int r = 0; r < count; r++) {
            out.append(' ').append(nb[r]).append('=').append(Float.floatToIntBits(sc[r]));
        }
        out.append('\n');
    }

    /** The exact top K by cosine in double precision over the items with a vector. */
    private static List<int[]> bruteForce() {
        double[][] unit = new double[N][];
        for (int i = 0; i < N; i++) {
            double norm = 0;
            for (int k = 0; k < D; k++) {
                norm += (double) raw[i * D + k] * raw[i * D + k];
            }
            norm = Math.sqrt(norm);
            if (norm > 0 && Double.isFinite(norm)) {
                unit[i] = new double[D];
                for (int k = 0; k < D; k++) {
                    unit[i][k] = raw[i * D + k] / norm;
                }
            }
        }
        List<int[]> lists = new ArrayList<>();
        double[] scores = new double[N];
        for (int i = 0; i < N; i++) {
            if (unit[i] == null) {
                lists.add(new int[0]);
                continue;
            }
            List<Integer> others = new ArrayList<>();
            for (int j = 0; j < N; j++) {
                if (j != i && unit[j] != null) {
                    double s = 0;
                    for (int k = 0; k < D; k++) {
                        s += unit[i][k] * unit[j][k];
                    }
                    scores[j] = s;
                    others.add(j);
                }
            }
            others.sort((a, b) -> Double.compare(scores[b], scores[a]));
            lists.add(others.subList(0, K).stream().mapToInt(Integer::intValue).toArray());
        }
        return lists;
    }

    /** Share of the reference's (row, neighbour) pairs that the other lists hold. */
    private static double recall(List<int[]> reference, List<int[]> other) {
        long found = 0;
        long total = 0;
        for (int i = 0; i < reference.size(); i++) {
            Set<Integer> theirs = new HashSet<>();
            for (int j : other.get(i)) {
                theirs.add(j);
            }
            for (int j : reference.get(i)) {
                found += theirs.contains(j) ? 1 : 0;
                total++;
            }
        }
        return (double) found / total;
    }

    /** Row-major vectors around {@code centres} random centres (as many centres as items: uniform random). */
    private static float[] clustered(int n, int d, int centres, long seed) {
        return ClusteredVectors.generate(n, d, centres, 0.6, seed);
    }

    /** L2-normalised sparse rows of {@code terms} distinct terms each, term frequencies skewed towards low ids. */
    private static CsrMatrix randomText(int n, int vocabulary, int terms, long seed) {
        Random random = new Random(seed);
        int[] rowPtr = new int[n + 1];
        int[] cols = new int[n * terms];
        float[] values = new float[n * terms];
        for (int i = 0; i < n; i++) {
            int[] chosen = random.ints(0, vocabulary).map(t -> (int) ((long) t * t / vocabulary)).distinct().limit(terms).sorted().toArray();
            double norm = 0;
            double[] w = new double[terms];
            for (int t = 0; t < terms; t++) {
                w[t] = 1 + random.nextInt(3);
                norm += w[t] * w[t];
            }
            for (int t = 0; t < terms; t++) {
                cols[i * terms + t] = chosen[t];
                values[i * terms + t] = (float) (w[t] / Math.sqrt(norm));
            }
            rowPtr[i + 1] = (i + 1) * terms;
        }
        return CsrMatrix.of(n, vocabulary, rowPtr, cols, values);
    }
}
