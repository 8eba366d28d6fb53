package dev.recstage.content.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.core.engine.CsrMatrix;
import dev.recstage.core.engine.PairScorer;
import dev.recstage.core.engine.SampledBar;
import dev.recstage.core.engine.TopKEngine;
import dev.recstage.core.features.FeaturesInput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The exact blend, which takes each row's text top K from the engine and bounds the other pairs'
 * text scores, against a brute force over every pair with every text score: the same lists, the
 * same bits. Small vocabularies and few weight levels make ties in text scores and blends; missing
 * vectors, rows without terms and weights of 0 take the bound's every branch, including the rows
 * that fall back to all their text scores.
 */
class VectorBlendSearchTest {
    private static final BlendWeights[] WEIGHTS = {
        new BlendWeights(0.7, 0.3), new BlendWeights(0.5, 0.5), new BlendWeights(1, 0), new BlendWeights(0, 1), new BlendWeights(0.2, 0.9)};

    @Test
    void everyRowsBothListsAreTheBruteForceListsOverAllPairs() {
        long fullTextRows = 0;
        long rows = 0;
        for (int seed = 0; seed < 300; seed++) {
            Random random = new Random(seed);
            int n = 2 + random.nextInt(120);
            int d = new int[] {3, 8, 17}[random.nextInt(3)];
            int k = 1 + random.nextInt(12);
            double missing = new double[] {0, 0.1, 0.5}[random.nextInt(3)];
            BlendWeights weights = WEIGHTS[random.nextInt(WEIGHTS.length)];
            ItemVectors vectors = ItemVectors.of(new FeaturesInput.Embeddings(d, vectors(random, n, d, missing)), n);
            CsrMatrix text = text(random, n, 2 + random.nextInt(30));
            int threads = 1 + random.nextInt(2);
            VectorBlendSearch search = new VectorBlendSearch(vectors, text, text.transpose(),
                    new TopKEngine(threads, 7).rowSearches(text, text.transpose(), PairScorer.cosine(), k), weights, threads, 1 + random.nextInt(40), k);
            List<String> vectorLists = new ArrayList<>();
            List<String> blendLists = new ArrayList<>();
            search.run(0, n, (row, nb, sc, count) -> vectorLists.add(render(nb, sc, count)), (row, nb, sc, count) -> blendLists.add(render(nb, sc, count)),
                    (done, total) -> { });
            for (int i = 0; i < n; i++) {
                String where = "seed " + seed + ", row " + i + " of " + n + ", k " + k + ", " + weights;
                assertEquals(bruteForce(vectors, text, weights, i, k, false), vectorLists.get(i), "vectors, " + where);
                assertEquals(bruteForce(vectors, text, weights, i, k, true), blendLists.get(i), "blend, " + where);
            }
            fullTextRows += search.fullTextRows();
            rows += n;
        }
        // Both ways to a row's blend must have run, or this proves less than it says.
        assertTrue(fullTextRows > 0 && fullTextRows < rows / 2, "rows with all text scores: " + fullTextRows + " of " + rows);
    }

    @Test
    void aSampledGuessThatTooFewItemsReachIsNotTakenAsTheVectorBar() {
        // Every fifth item (the ones a row's sample reads, at this size) is in one tight cluster, the
        // rest point anywhere: for a clustered row the sample's guess is reached by fewer than K items.
        int n = 3000;
        int d = 8;
        int k = 50;
        Random random = new Random(5);
        float[] raw = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                raw[i * d + c] = i % SampledBar.stride(n) == 0 ? (c == 0 ? 10f : 0f) + (float) random.nextGaussian() * 0.01f : (float) random.nextGaussian();
            }
        }
        ItemVectors vectors = ItemVectors.of(new FeaturesInput.Embeddings(d, raw), n);
        CsrMatrix noText = CsrMatrix.of(n, 0, new int[n + 1], new int[0], new float[0]);
        everyStepthRowIsTheBruteForce(vectors, noText, new BlendWeights(0.5, 0.5), k, 500, 50, "no text");
    }

    /**
     * Rows large enough for a sampled vector bar, with text lists shorter than K (few items share a
     * term) or full: the blend's floor then comes from the vector list, blend(0, bar), lowered by
     * what the text can add (t_K) — too high a floor would drop items that the text lifts into the
     * blend.
     */
    @Test
    void aFloorFromTheVectorListKeepsEveryItemTheTextCanLift() {
        // 1500 terms: most rows' text lists are short (t_K = 0); 150: most are full (t_K > 0 lowers the floor).
        for (int vocabulary : new int[] {1500, 150}) {
            for (BlendWeights weights : WEIGHTS) {
                bothListsOfLargeRowsAreTheBruteForceLists(vocabulary, weights);
            }
        }
    }

    private static void bothListsOfLargeRowsAreTheBruteForceLists(int vocabulary, BlendWeights weights) {
        int n = 2500;
        Random random = new Random(11);
        ItemVectors vectors = ItemVectors.of(new FeaturesInput.Embeddings(8, vectors(random, n, 8, 0.05)), n);
        everyStepthRowIsTheBruteForce(vectors, text(random, n, vocabulary), weights, 40, 300, 25, vocabulary + " terms");
    }

    /** Runs the search on 2 threads and checks both lists of every {@code step}-th row against the brute force. */
    private static void everyStepthRowIsTheBruteForce(ItemVectors vectors, CsrMatrix text, BlendWeights weights, int k, int batch, int step,
                                                      String data) {
        List<String> vectorLists = new ArrayList<>();
        List<String> blendLists = new ArrayList<>();
        new VectorBlendSearch(vectors, text, text.transpose(), new TopKEngine(2, 7).rowSearches(text, text.transpose(), PairScorer.cosine(), k),
                weights, 2, batch, k).run(0, vectors.items(), (row, nb, sc, count) -> vectorLists.add(render(nb, sc, count)),
                (row, nb, sc, count) -> blendLists.add(render(nb, sc, count)), (done, total) -> { });
        for (int i = 0; i < vectors.items(); i += step) {
            String where = "row " + i + ", " + data + ", " + weights;
            assertEquals(bruteForce(vectors, text, weights, i, k, false), vectorLists.get(i), "vectors of " + where);
            assertEquals(bruteForce(vectors, text, weights, i, k, true), blendLists.get(i), "blend of " + where);
        }
    }

    /** The K best of row i over every candidate pair, with the canonical text score and the kernel's vector bits. */
    private static String bruteForce(ItemVectors vectors, CsrMatrix text, BlendWeights weights, int i, int k, boolean blend) {
        List<float[]> candidates = new ArrayList<>();
        for (int j = 0; j < vectors.items(); j++) {
            boolean vectorPair = vectors.present(i) && vectors.present(j);
            if (j == i) {
                continue;
            }
            double textDot = canonicalDot(text, i, j);
            if (vectorPair) {
                float vector = VectorKernelTest.fusedDot(vectors, i, j);
                candidates.add(new float[] {j, blend ? weights.blend((float) textDot, vector) : vector});
            } else if (blend && textDot > 0) {
                candidates.add(new float[] {j, weights.blend((float) textDot, 0f)});
            }
        }
        candidates.sort(Comparator.<float[]>comparingDouble(c -> -c[1]).thenComparingDouble(c -> c[0]));
        int count = Math.min(k, candidates.size());
        int[] nb = new int[count];
        float[] sc = new float[count];
        for (int r = 0; r < count; r++) {
            nb[r] = (int) candidates.get(r)[0];
            sc[r] = candidates.get(r)[1];
        }
        return render(nb, sc, count);
    }

    private static double canonicalDot(CsrMatrix text, int i, int j) {
        double sum = 0;
        int p = text.rowStart(i);
        int q = text.rowStart(j);
        while (p < text.rowEnd(i) && q < text.rowEnd(j)) {
            int a = text.colAt(p);
            int b = text.colAt(q);
            if (a == b) {
                sum += (double) text.valueAt(p++) * text.valueAt(q++);
            } else if (a < b) {
                p++;
            } else {
                q++;
            }
        }
        return sum;
    }

    private static String render(int[] nb, float[] sc, int count) {
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < count; r++) {
            out.append(nb[r]).append('=').append(Integer.toHexString(Float.floatToIntBits(sc[r]))).append(' ');
        }
        return out.toString();
    }

    /** Vectors from a few directions (ties among the vector scores), a share of them NaN or zero. */
    private static float[] vectors(Random random, int n, int d, double missing) {
        float[][] directions = new float[1 + random.nextInt(6)][d];
        for (float[] direction : directions) {
            for (int c = 0; c < d; c++) {
                direction[c] = random.nextInt(5) - 2;
            }
        }
        float[] values = new float[n * d];
        for (int i = 0; i < n; i++) {
            float[] direction = directions[random.nextInt(directions.length)];
            boolean gone = random.nextDouble() < missing;
            for (int c = 0; c < d; c++) {
                values[i * d + c] = gone ? 0f : direction[c] + (random.nextBoolean() ? 0f : random.nextInt(3) * 0.5f);
            }
            if (gone && random.nextBoolean()) {
                values[i * d] = Float.NaN;
            }
        }
        return values;
    }

    /** L2-normalised rows of 0 to 5 terms of a small vocabulary, weights of three levels (ties among the text scores). */
    private static CsrMatrix text(Random random, int n, int vocabulary) {
        int[] rowPtr = new int[n + 1];
        List<Integer> cols = new ArrayList<>();
        List<Float> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] terms = random.ints(0, vocabulary).distinct().limit(Math.min(vocabulary, random.nextInt(6))).sorted().toArray();
            double[] w = new double[terms.length];
            double norm = 0;
            for (int t = 0; t < terms.length; t++) {
                w[t] = 1 + random.nextInt(3);
                norm += w[t] * w[t];
            }
            for (int t = 0; t < terms.length; t++) {
                cols.add(terms[t]);
                values.add((float) (w[t] / Math.sqrt(norm)));
            }
            rowPtr[i + 1] = cols.size();
        }
        float[] v = new float[values.size()];
        for (int x = 0; x < v.length; x++) {
            v[x] = values.get(x);
        }
        return CsrMatrix.of(n, vocabulary, rowPtr, cols.stream().mapToInt(Integer::intValue).toArray(), v);
    }
}
