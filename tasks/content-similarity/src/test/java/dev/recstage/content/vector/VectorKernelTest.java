package dev.recstage.content.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.recstage.core.engine.CsrMatrix;
import dev.recstage.core.engine.PairScorer;
import dev.recstage.core.engine.TopKEngine;
import dev.recstage.core.features.FeaturesInput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The vector kernels against references computed here: bit for bit against one fused sum per
 * pair (the arithmetic both kernels promise), and the vector top K against a plain double-precision
 * brute force. Sizes around the panel (48 items) and the register block (4 rows) cover the edges.
 */
class VectorKernelTest {
    private static final double TOLERANCE = 1e-5;

    @ParameterizedTest
    @CsvSource({"1,1", "5,3", "47,8", "48,384", "49,17", "97,384", "203,5", "1000,64"})
    void simdAndPlainKernelsComputeEveryPairAsOneFusedSumInComponentOrder(int n, int d) {
        ItemVectors vectors = ItemVectors.of(new FeaturesInput.Embeddings(d, clustered(n, d, 4, n + d)), n);
        VectorKernel simd = VectorKernel.of(vectors, 16);
        assertInstanceOf(SimdKernel.class, simd, "tests run with --add-modules jdk.incubator.vector (surefire's argLine)");
        VectorKernel plain = new ScalarKernel(vectors, 16);
        for (int rowsPerCall : new int[] {1, 3, 4, 5, 16}) {
            vectors.moveTo(rowsPerCall % 16); // wherever the panels start in their array
            float[] fromSimd = scoreAll(simd, vectors, rowsPerCall, rowsPerCall % 7);
            float[] fromPlain = scoreAll(plain, vectors, rowsPerCall, rowsPerCall % 7);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    int expected = Float.floatToIntBits(fusedDot(vectors, i, j));
                    if (expected != Float.floatToIntBits(fromSimd[i * n + j]) || expected != Float.floatToIntBits(fromPlain[i * n + j])) {
                        fail("pair " + i + "," + j + " in calls of " + rowsPerCall + " rows: expected " + Float.intBitsToFloat(expected)
                                + ", SIMD " + fromSimd[i * n + j] + ", plain " + fromPlain[i * n + j]);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "clustered"})
    void vectorTopKEqualsADoublePrecisionBruteForceUpToTies(String kind) {
        int n = 1003;
        int d = 384;
        int k = 50;
        float[] raw = kind.equals("random") ? clustered(n, d, n, 11) : clustered(n, d, 6, 12);
        double[][] unit = normalisedInDouble(raw, n, d);
        List<int[]> neighbors = new ArrayList<>();
        List<float[]> scores = new ArrayList<>();
        search(raw, n, d, 2, 100, k).run(0, n, (row, nb, sc, count) -> {
            neighbors.add(Arrays.copyOf(nb, count));
            scores.add(Arrays.copyOf(sc, count));
        }, (row, nb, sc, count) -> { }, (done, total) -> { });
        for (int i = 0; i < n; i++) {
            double[] reference = new double[n];
            List<Integer> others = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    reference[j] = dot(unit[i], unit[j]);
                    others.add(j);
                }
            }
            others.sort(Comparator.comparingDouble((Integer j) -> -reference[j]));
            double kth = reference[others.get(k - 1)];
            int[] ours = neighbors.get(i);
            assertEquals(k, ours.length, "row " + i);
            for (int r = 0; r < k; r++) {
                int j = ours[r];
                assertTrue(Math.abs(scores.get(i)[r] - reference[j]) <= TOLERANCE, "score of " + i + "," + j);
                assertTrue(reference[j] >= kth - TOLERANCE, "row " + i + " lists " + j + ", below the reference's K-th");
            }
            for (int r = 0; r < k; r++) {
                int j = others.get(r);
                if (reference[j] > kth + TOLERANCE) {
                    final int wanted = j;
                    assertTrue(Arrays.stream(ours).anyMatch(o -> o == wanted), "row " + i + " misses " + j);
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"1,1", "1,37", "2,7", "3,64", "2,1003"})
    void theNeighboursAreTheSameForEveryThreadCountAndBatchSize(int threads, int batch) {
        int n = 1003;
        int d = 40;
        float[] raw = clustered(n, d, 5, 3);
        raw[7 * d + 2] = Float.NaN; // items 7 (NaN) and 9 (zero) have no vector, as the stage treats them
        Arrays.fill(raw, 9 * d, 10 * d, 0f);
        assertEquals(render(search(raw, n, d, 1, n, 20)), render(search(raw, n, d, threads, batch, 20)));
    }

    private static String render(VectorBlendSearch search) {
        StringBuilder out = new StringBuilder();
        search.run(0, 1003, (row, nb, sc, count) -> {
            out.append(row).append(':');
            for (int r = 0; r < count; r++) {
                out.append(nb[r]).append('=').append(Float.floatToIntBits(sc[r])).append(' ');
            }
            out.append('\n');
        }, (row, nb, sc, count) -> { }, (done, total) -> { });
        assertTrue(out.indexOf("\n7:\n") >= 0 && out.indexOf("\n9:\n") >= 0, "items without a vector have no vector neighbours");
        return out.toString();
    }

    /** The vector channel alone: text without terms. */
    private static VectorBlendSearch search(float[] raw, int n, int d, int threads, int batch, int k) {
        ItemVectors vectors = ItemVectors.of(new FeaturesInput.Embeddings(d, raw), n);
        CsrMatrix noText = CsrMatrix.of(n, 0, new int[n + 1], new int[0], new float[0]);
        return new VectorBlendSearch(vectors, noText, noText.transpose(),
                new TopKEngine(threads, batch).rowSearches(noText, noText.transpose(), PairScorer.cosine(), k), new BlendWeights(0.5, 0.5), threads, batch, k);
    }

    /**
     * Every pair's score, {@code all[i·n + j]}, from calls of {@code rowsPerCall} rows each written
     * from {@code block[at]}; checks that the kernel writes nothing before {@code at} and +0 for the
     * padding items.
     */
    private static float[] scoreAll(VectorKernel kernel, ItemVectors vectors, int rowsPerCall, int at) {
        int n = vectors.items();
        int padded = vectors.paddedItems();
        float[] all = new float[n * n];
        float[] block = new float[at + 16 * padded];
        for (int first = 0; first < n; first += rowsPerCall) {
            int rows = Math.min(rowsPerCall, n - first);
            Arrays.fill(block, Float.NaN);
            kernel.score(first, rows, block, at);
            for (int i = 0; i < at; i++) {
                assertTrue(Float.isNaN(block[i]), "written before at: " + i);
            }
            for (int r = 0; r < rows; r++) {
                System.arraycopy(block, at + r * padded, all, (first + r) * n, n);
                for (int j = n; j < padded; j++) {
                    assertEquals(0, Float.floatToRawIntBits(block[at + r * padded + j]), "padding item " + j + " of row " + (first + r));
                }
            }
        }
        return all;
    }

    /** The kernels' score: one fused multiply-add per component, in component order. */
    static float fusedDot(ItemVectors vectors, int i, int j) {
        float sum = 0f;
        for (int k = 0; k < vectors.dimension(); k++) {
            sum = Math.fma(vectors.component(i, k), vectors.component(j, k), sum);
        }
        return sum;
    }

    /** Row-major vectors around {@code centres} random centres (as many centres as items: uniform random). */
    private static float[] clustered(int n, int d, int centres, long seed) {
        return ClusteredVectors.generate(n, d, centres, 0.3, seed);
    }

    private static double[][] normalisedInDouble(float[] raw, int n, int d) {
        double[][] unit = new double[n][d];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int k = 0; k < d; k++) {
                norm += (double) raw[i * d + k] * raw[i * d + k];
            }
            norm = Math.sqrt(norm);
            for (int k = 0; k < d; k++) {
                unit[i][k] = raw[i * d + k] / norm;
            }
        }
        return unit;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int k = 0; k < a.length; k++) {
            sum += a[k] * b[k];
        }
        return sum;
    }
}
