package dev.recstage.content.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked {@link VectorKernel} on the Vector API (JDK incubator module): 4 query rows
 * × 3 SIMD vectors of items keep 12 running sums in registers for the whole of k, so each step
 * loads 3 vectors of one panel and 4 query values for 12 fused multiply-adds (a tiled axpy loads
 * and stores its sums at every step). Panels are visited in the outer loop so that one panel
 * (PANEL·d floats, 72 KiB at d = 384) stays in cache while all the query rows pass over it.
 */
final class SimdKernel implements VectorKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Items per register block: 3 vectors. */
    private static final int STRIP = 3 * LANES;
    private static final int PANEL = ItemVectors.PANEL;

    private final ItemVectors vectors;
    private final float[] query;
    private final float[] edge = new float[LANES];

    SimdKernel(ItemVectors vectors, int maxRows) {
        this.vectors = vectors;
        this.query = new float[maxRows * vectors.dimension];
    }

    /** True when a panel is a whole number of strips on this machine's SIMD width. */
    static boolean fits() {
        return PANEL % STRIP == 0;
    }

    @Override
    public void score(int first, int rows, float[] out) {
        int n = vectors.items;
        int d = vectors.dimension;
        vectors.copyRows(first, rows, query);
        for (int j0 = 0; j0 < n; j0 += PANEL) {
            for (int strip = 0; strip < PANEL && j0 + strip < n; strip += STRIP) {
                int r = 0;
                for (; r + 4 <= rows; r += 4) {
                    fourRows(r, j0 * d + strip, j0 + strip, out);
                }
                for (; r < rows; r++) {
                    oneRow(r, j0 * d + strip, j0 + strip, out);
                }
            }
        }
    }

    /** Rows r..r+3 against the strip of items starting at {@code column}, whose k-th slice is at {@code at + k·PANEL}. */
    private void fourRows(int r, int at, int column, float[] out) {
        int d = vectors.dimension;
        float[] x = vectors.panels;
        FloatVector a0 = FloatVector.zero(SPECIES), a1 = a0, a2 = a0, b0 = a0, b1 = a0, b2 = a0;
        FloatVector c0 = a0, c1 = a0, c2 = a0, e0 = a0, e1 = a0, e2 = a0;
        int q = r * d;
        for (int k = 0; k < d; k++, at += PANEL) {
            FloatVector x0 = FloatVector.fromArray(SPECIES, x, at);
            FloatVector x1 = FloatVector.fromArray(SPECIES, x, at + LANES);
            FloatVector x2 = FloatVector.fromArray(SPECIES, x, at + 2 * LANES);
            FloatVector w = FloatVector.broadcast(SPECIES, query[q + k]);
            a0 = x0.fma(w, a0);
            a1 = x1.fma(w, a1);
            a2 = x2.fma(w, a2);
            w = FloatVector.broadcast(SPECIES, query[q + d + k]);
            b0 = x0.fma(w, b0);
            b1 = x1.fma(w, b1);
            b2 = x2.fma(w, b2);
            w = FloatVector.broadcast(SPECIES, query[q + 2 * d + k]);
            c0 = x0.fma(w, c0);
            c1 = x1.fma(w, c1);
            c2 = x2.fma(w, c2);
            w = FloatVector.broadcast(SPECIES, query[q + 3 * d + k]);
            e0 = x0.fma(w, e0);
            e1 = x1.fma(w, e1);
            e2 = x2.fma(w, e2);
        }
        store(a0, a1, a2, r, column, out);
        store(b0, b1, b2, r + 1, column, out);
        store(c0, c1, c2, r + 2, column, out);
        store(e0, e1, e2, r + 3, column, out);
    }

    /** One row against a strip, for the rows left over by {@link #fourRows}: the same steps, so the same bits. */
    private void oneRow(int r, int at, int column, float[] out) {
        int d = vectors.dimension;
        float[] x = vectors.panels;
        FloatVector a0 = FloatVector.zero(SPECIES), a1 = a0, a2 = a0;
        int q = r * d;
        for (int k = 0; k < d; k++, at += PANEL) {
            FloatVector w = FloatVector.broadcast(SPECIES, query[q + k]);
            a0 = FloatVector.fromArray(SPECIES, x, at).fma(w, a0);
            a1 = FloatVector.fromArray(SPECIES, x, at + LANES).fma(w, a1);
            a2 = FloatVector.fromArray(SPECIES, x, at + 2 * LANES).fma(w, a2);
        }
        store(a0, a1, a2, r, column, out);
    }

    /** Writes a strip's sums to row r, dropping the padding items past n. */
    private void store(FloatVector v0, FloatVector v1, FloatVector v2, int r, int column, float[] out) {
        store(v0, r, column, out);
        store(v1, r, column + LANES, out);
        store(v2, r, column + 2 * LANES, out);
    }

    private void store(FloatVector v, int r, int column, float[] out) {
        int n = vectors.items;
        if (column + LANES <= n) {
            v.intoArray(out, r * n + column);
        } else if (column < n) {
            v.intoArray(edge, 0);
            System.arraycopy(edge, 0, out, r * n + column, n - column);
        }
    }
}
