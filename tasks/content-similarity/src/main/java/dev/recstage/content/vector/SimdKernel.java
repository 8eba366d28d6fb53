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

    SimdKernel(ItemVectors vectors, int maxRows) {
        this.vectors = vectors;
        this.query = new float[maxRows * vectors.dimension];
    }

    /** True when a panel is a whole number of strips on this machine's SIMD width. */
    static boolean fits() {
        return PANEL % STRIP == 0;
    }

    @Override
    public void score(int first, int rows, float[] out, int at) {
        int n = vectors.items;
        int d = vectors.dimension;
        int stride = vectors.paddedItems();
        vectors.copyRows(first, rows, query);
        for (int j0 = 0; j0 < n; j0 += PANEL) {
            for (int strip = 0; strip < PANEL; strip += STRIP) {
                int column = at + j0 + strip;
                int r = 0;
                for (; r + 4 <= rows; r += 4) {
                    fourRows(r, vectors.origin + j0 * d + strip, out, column + r * stride, stride);
                }
                for (; r < rows; r++) {
                    oneRow(r, vectors.origin + j0 * d + strip, out, column + r * stride);
                }
            }
        }
    }

    /**
     * Rows r..r+3 against the strip of items whose k-th slice is at {@code at + k·PANEL}; row r's sums
     * go to {@code out[to..]}, each next row's a stride further. The sums are stored here, not in a
     * method of their own: when the JIT does not inline such a method (it sometimes does not), every
     * call boxes the 12 vectors, and the kernel ran 30% slower, allocating gigabytes.
     */
    private void fourRows(int r, int at, float[] out, int to, int stride) {
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
        a0.intoArray(out, to);
        a1.intoArray(out, to + LANES);
        a2.intoArray(out, to + 2 * LANES);
        to += stride;
        b0.intoArray(out, to);
        b1.intoArray(out, to + LANES);
        b2.intoArray(out, to + 2 * LANES);
        to += stride;
        c0.intoArray(out, to);
        c1.intoArray(out, to + LANES);
        c2.intoArray(out, to + 2 * LANES);
        to += stride;
        e0.intoArray(out, to);
        e1.intoArray(out, to + LANES);
        e2.intoArray(out, to + 2 * LANES);
    }

    /** One row against a strip, for the rows left over by {@link #fourRows}: the same steps, so the same bits. */
    private void oneRow(int r, int at, float[] out, int to) {
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
        a0.intoArray(out, to);
        a1.intoArray(out, to + LANES);
        a2.intoArray(out, to + 2 * LANES);
    }
}
