package dev.recstage.content.vector;

import java.util.Arrays;

/**
 * Cosine scores of a few query items against every item, into a dense {@code rows × n} block.
 *
 * <p>The loops run along items over dimension-major vectors ({@code y[j] += q_k · x_k[j]}), which
 * HotSpot's superword pass turns into SIMD; the columns are taken in tiles so that a tile of the
 * scores of all query rows stays in L1 while each dimension's slice is streamed once per tile.
 * The score of a pair is always the float sum over k = 0..d-1 in that order, whatever the tile,
 * the chunk or the thread: the same bits as a plain dot-product loop.
 */
final class VectorKernel {
    /** Columns per tile: 16 query rows × 512 floats = 32 KiB of scores, one L1. */
    static final int TILE = 512;

    private final ItemVectors vectors;
    private final float[] query;

    VectorKernel(ItemVectors vectors, int maxRows) {
        this.vectors = vectors;
        this.query = new float[maxRows * vectors.dimension];
    }

    /** Scores of items {@code [first, first + rows)} against all items into {@code out[r·n + j]}. */
    void score(int first, int rows, float[] out) {
        int n = vectors.items;
        int d = vectors.dimension;
        float[] x = vectors.byDimension;
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < d; k++) {
                query[r * d + k] = x[k * n + first + r];
            }
        }
        Arrays.fill(out, 0, rows * n, 0f);
        for (int from = 0; from < n; from += TILE) {
            int length = Math.min(TILE, n - from);
            for (int k = 0; k < d; k++) {
                int slice = k * n + from;
                for (int r = 0; r < rows; r++) {
                    axpy(query[r * d + k], x, slice, out, r * n + from, length);
                }
            }
        }
    }

    /** {@code y[yFrom + i] += a · x[xFrom + i]} for i in [0, length): the loop the JIT vectorises. */
    private static void axpy(float a, float[] x, int xFrom, float[] y, int yFrom, int length) {
        for (int i = 0; i < length; i++) {
            y[yFrom + i] += a * x[xFrom + i];
        }
    }
}
