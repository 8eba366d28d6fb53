package dev.recstage.content.vector;

import dev.recstage.core.features.FeaturesInput;

/**
 * Item embeddings prepared for blocked cosine scoring: each vector L2-normalised (in double, stored
 * as float) and stored in panels of {@link #PANEL} items, each panel dimension-major
 * ({@code values[(item / PANEL)·PANEL·d + k·PANEL + item % PANEL]}), the last one padded with zeros.
 * A score kernel then reads one panel as d contiguous runs of PANEL floats, SIMD-wide along items,
 * without edge cases. An item whose vector is missing or zero has no vector neighbours and is
 * nobody's vector neighbour. The panels start at {@link #origin} of their array, the first element on
 * a cache line where the JVM tells where that is ({@link CacheLines}), so that the kernel's SIMD loads
 * never straddle two lines.
 */
public final class ItemVectors {
    /** Items per panel: a multiple of 3 SIMD vectors of 4, 8 or 16 floats (see {@link SimdKernel}). */
    static final int PANEL = 48;

    final int items;
    final int dimension;
    final float[] panels;
    /** Index in {@link #panels} of the first panel's first value; {@link #realign} moves it. */
    int origin;
    final boolean[] present;
    private int realignments;

    private ItemVectors(int items, int dimension, float[] panels, int origin, boolean[] present) {
        this.items = items;
        this.dimension = dimension;
        this.panels = panels;
        this.origin = origin;
        this.present = present;
    }

    /** Normalises row-major embeddings ({@code values[item·d + k]}) into panels. */
    public static ItemVectors of(FeaturesInput.Embeddings embeddings, int items) {
        int d = embeddings.dimension();
        float[] rows = embeddings.values();
        if ((long) items * d != rows.length) {
            throw new IllegalArgumentException("embeddings hold " + rows.length + " values, expected " + items + "×" + d);
        }
        boolean[] present = new boolean[items];
        float[] panels = new float[Math.toIntExact(paddedItems(items) * d + CacheLines.FLOAT_SLACK)];
        int origin = Math.max(0, CacheLines.floatsToLineStart(panels));
        for (int i = 0; i < items; i++) {
            double norm = norm(rows, i, d);
            present[i] = isVector(norm);
            int at = origin + (i / PANEL) * PANEL * d + i % PANEL;
            for (int k = 0; k < d; k++) {
                panels[at + k * PANEL] = present[i] ? (float) (rows[i * d + k] / norm) : 0f;
            }
        }
        return new ItemVectors(items, d, panels, origin, present);
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

    static long paddedItems(long items) {
        return (items + PANEL - 1) / PANEL * PANEL;
    }

    /** Heap bytes of the prepared vectors (the row-major input is freed after {@link #of}, but both exist during it). */
    public static long bytesFor(long items, int dimension) {
        return 4L * (paddedItems(items) * dimension + CacheLines.FLOAT_SLACK) + items;
    }

    public int items() {
        return items;
    }

    public int dimension() {
        return dimension;
    }

    /** The items rounded up to whole panels: the length of a row of kernel scores. */
    public int paddedItems() {
        return Math.toIntExact(paddedItems(items));
    }

    /** How many items have a vector. */
    public int withVector() {
        int count = 0;
        for (boolean has : present) {
            count += has ? 1 : 0;
        }
        return count;
    }

    /**
     * Moves the panels back onto a cache line when the collector has moved the array since (a full
     * collection compacting the old generation: at 50,000 items, once the raw embeddings are freed).
     * Not while a kernel reads them.
     */
    void realign() {
        int target = CacheLines.floatsToLineStart(panels);
        if (target != CacheLines.UNKNOWN && target != origin) {
            moveTo(target);
            realignments++;
        }
    }

    /** Moves the panels to start at {@code panels[target]}, 0 to 15. */
    void moveTo(int target) {
        System.arraycopy(panels, origin, panels, target, panels.length - CacheLines.FLOAT_SLACK);
        origin = target;
    }

    /** How many times {@link #realign} moved the panels. */
    public int realignments() {
        return realignments;
    }

    /**
     * Whether the panels start on a cache line now, for the log: {@code aligned}, {@code moved} (the
     * collector moved the array since, so loads straddle lines: slower, same results) or
     * {@code unknown} (this JVM does not tell where arrays lie).
     */
    public String lineAlignment() {
        if (!CacheLines.known()) {
            return "unknown";
        }
        return CacheLines.floatsToLineStart(panels) == origin ? "aligned" : "moved";
    }

    public boolean present(int item) {
        return present[item];
    }

    /** Normalised component {@code k} of {@code item}'s vector. */
    public float component(int item, int k) {
        return panels[origin + (item / PANEL) * PANEL * dimension + k * PANEL + item % PANEL];
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
