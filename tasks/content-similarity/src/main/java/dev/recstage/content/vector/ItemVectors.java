package dev.recstage.content.vector;

import dev.recstage.core.features.FeaturesInput;

/**
 * Item embeddings prepared for blocked cosine scoring: each vector L2-normalised (in double, stored
 * as float) and stored in panels of {@link #PANEL} items, each panel dimension-major
 * ({@code values[(item / PANEL)·PANEL·d + k·PANEL + item % PANEL]}), the last one padded with zeros.
 * A score kernel then reads one panel as d contiguous runs of PANEL floats, SIMD-wide along items,
 * without edge cases. An item whose vector is missing or zero has no vector neighbours and is
 * nobody's vector neighbour.
 */
public final class ItemVectors {
    /** Items per panel: a multiple of 3 SIMD vectors of 4, 8 or 16 floats (see {@link SimdKernel}). */
    static final int PANEL = 48;

    final int items;
    final int dimension;
    final float[] panels;
    final boolean[] present;

    private ItemVectors(int items, int dimension, float[] panels, boolean[] present) {
        this.items = items;
        this.dimension = dimension;
        this.panels = panels;
        this.present = present;
    }

    /** Normalises row-major embeddings ({@code values[item·d + k]}) into panels. */
    public static ItemVectors of(FeaturesInput.Embeddings embeddings, int items) {
        int d = embeddings.dimension();
        float[] rows = embeddings.values();
        if ((long) items * d != rows.length) {
            throw new IllegalArgumentException("embeddings hold " + rows.length + " values, expected " + items + "×" + d);
        }
        float[] panels = new float[Math.toIntExact(paddedItems(items) * d)];
        boolean[] present = new boolean[items];
        for (int i = 0; i < items; i++) {
            double norm = norm(rows, i, d);
            present[i] = isVector(norm);
            int at = (i / PANEL) * PANEL * d + i % PANEL;
            for (int k = 0; k < d; k++) {
                panels[at + k * PANEL] = present[i] ? (float) (rows[i * d + k] / norm) : 0f;
            }
        }
        return new ItemVectors(items, d, panels, present);
    }

    /** The L2 norm, in double, of row {@code i} of row-major values of dimension {@code d}. */
    static double norm(float[] rows, int i, int d) {
        double sumSquares = 0;
        for (int k = 0; k < d; k++) {
            double v = rows[i * d + k];
            sumSquares += v * v;
        }
        return Math.sqrt(sumSquares);
    }

    /** Whether a row of this norm is a vector: one that is missing (NaN), infinite or zero is not. */
    static boolean isVector(double norm) {
        return norm > 0 && Double.isFinite(norm);
    }

    private static long paddedItems(long items) {
        return (items + PANEL - 1) / PANEL * PANEL;
    }

    /** Heap bytes of the prepared vectors (the row-major input is freed after {@link #of}, but both exist during it). */
    public static long bytesFor(long items, int dimension) {
        return 4L * paddedItems(items) * dimension + items;
    }

    public int items() {
        return items;
    }

    public int dimension() {
        return dimension;
    }

    /** How many items have a vector. */
    public int withVector() {
        int count = 0;
        for (boolean has : present) {
            count += has ? 1 : 0;
        }
        return count;
    }

    public boolean present(int item) {
        return present[item];
    }

    /** Normalised component {@code k} of {@code item}'s vector. */
    public float component(int item, int k) {
        return panels[(item / PANEL) * PANEL * dimension + k * PANEL + item % PANEL];
    }

    /** Copies the normalised vectors of items {@code [first, first + rows)} row-major into {@code into}. */
    void copyRows(int first, int rows, float[] into) {
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < dimension; k++) {
                into[r * dimension + k] = component(first + r, k);
            }
        }
    }
}
