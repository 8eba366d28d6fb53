package dev.recstage.core.engine;

import java.util.Arrays;

/**
 * The old system's way: the full N×N score matrix in float32, then the top K of every row by
 * sorting it. Kept as the rollback path ({@code USE_LEGACY_SIMILARITY=1}) for small N; callers
 * must refuse it when {@link #bytesNeeded(int)} does not fit their budget.
 *
 * <p>It uses the same canonical scores and the same order (score descending, smaller neighbour
 * index first) as {@link TopKEngine}, so both produce identical output.
 */
public final class DenseReference {

    private DenseReference() {
    }

    /** Bytes of the N×N float32 score matrix: N²·4. */
    public static long bytesNeeded(int n) {
        return 4L * n * n;
    }

    /**
     * Builds the full score matrix of A, then emits rows {@code [fromRow, toRow)} to the sink in
     * ascending order (rows without neighbours with count 0), exactly like {@link TopKEngine#run}.
     */
    public static void run(CsrMatrix a, CsrMatrix aT, PairScorer scorer, int k, int fromRow, int toRow, NeighborSink sink) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        if (fromRow < 0 || toRow < fromRow || toRow > a.rows()) {
            throw new IllegalArgumentException("row range [" + fromRow + ", " + toRow + ") outside [0, " + a.rows() + ")");
        }
        if (!a.isTransposeOf(aT)) {
            throw new IllegalArgumentException("aT is not the transpose of a");
        }
        float[][] scores = scoreMatrix(a, aT, scorer);
        int n = a.rows();
        long[] keys = new long[n];
        int[] neighbors = new int[k];
        float[] rowScores = new float[k];
        for (int i = fromRow; i < toRow; i++) {
            int count = topK(scores[i], keys, k, neighbors, rowScores);
            sink.accept(i, neighbors, rowScores, count);
        }
    }

    /** Score of every pair, NaN where j is not a candidate for i (no overlap, too few common columns, or j = i). */
    private static float[][] scoreMatrix(CsrMatrix a, CsrMatrix aT, PairScorer scorer) {
        int n = a.rows();
        float[][] scores = new float[n][n];
        double[] dot = new double[n];
        int[] common = new int[n];
        for (int i = 0; i < n; i++) {
            Arrays.fill(dot, 0.0);
            Arrays.fill(common, 0);
            // Ascending columns of row i: each dot[j] is the canonical sum.
            for (int p = a.rowStart(i); p < a.rowEnd(i); p++) {
                double w = a.valueAt(p);
                int t = a.colAt(p);
                for (int q = aT.rowStart(t); q < aT.rowEnd(t); q++) {
                    int j = aT.colAt(q);
                    dot[j] += w * aT.valueAt(q);
                    common[j]++;
                }
            }
            float[] row = scores[i];
            for (int j = 0; j < n; j++) {
                boolean candidate = j != i && common[j] >= scorer.minCommon();
                row[j] = candidate ? scorer.score(a.rowNnz(i), a.rowNnz(j), (float) dot[j], common[j]) : Float.NaN;
            }
        }
        return scores;
    }

    /** Sorts the candidates of one score row and copies the first K; returns how many. */
    private static int topK(float[] row, long[] keys, int k, int[] neighbors, float[] rowScores) {
        int candidates = 0;
        for (int j = 0; j < row.length; j++) {
            if (!Float.isNaN(row[j])) {
                keys[candidates++] = descendingKey(row[j], j);
            }
        }
        Arrays.sort(keys, 0, candidates);
        int count = Math.min(k, candidates);
        for (int r = 0; r < count; r++) {
            int j = (int) keys[r];
            neighbors[r] = j;
            rowScores[r] = row[j];
        }
        return count;
    }

    /** A long that sorts ascending by score descending, then by index ascending; -0 ties with +0. */
    private static long descendingKey(float score, int j) {
        int bits = Float.floatToIntBits(score + 0.0f); // -0.0 + 0.0 = +0.0
        int ascending = bits ^ ((bits >> 31) & 0x7fffffff); // signed-int order equals float order
        return ((long) ~ascending << 32) | j;
    }
}
