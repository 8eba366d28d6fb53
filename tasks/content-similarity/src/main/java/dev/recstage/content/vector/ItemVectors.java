package dev.recstage.content.vector;

import dev.recstage.core.features.FeaturesInput;

/**
 * Item embeddings prepared for blocked cosine scoring: each vector L2-normalised (in double, stored
 * as float), stored dimension-major ({@code values[d·n + item]}) so that the score kernel runs
 * along items, the direction that vectorises. An item whose vector is missing or zero has no
 * vector neighbours and is nobody's vector neighbour.
 */
public final class ItemVectors {
    final int items;
    final int dimension;
    final float[] byDimension;
    final boolean[] present;

    private ItemVectors(int items, int dimension, float[] byDimension, boolean[] present) {
        this.items = items;
        this.dimension = dimension;
        this.byDimension = byDimension;
        this.present = present;
    }

    /** Normalises and transposes row-major embeddings ({@code values[item·d + k]}). */
    public static ItemVectors of(FeaturesInput.Embeddings embeddings, int items) {
        int d = embeddings.dimension();
        float[] rows = embeddings.values();
        if ((long) items * d != rows.length) {
            throw new IllegalArgumentException("embeddings hold " + rows.length + " values, expected " + items + "×" + d);
        }
        float[] byDimension = new float[rows.length];
        boolean[] present = new boolean[items];
        for (int i = 0; i < items; i++) {
            double sumSquares = 0;
            for (int k = 0; k < d; k++) {
                double v = rows[i * d + k];
                sumSquares += v * v;
            }
            double norm = Math.sqrt(sumSquares);
            present[i] = norm > 0 && Double.isFinite(norm);
            for (int k = 0; k < d; k++) {
                byDimension[k * items + i] = present[i] ? (float) (rows[i * d + k] / norm) : 0f;
            }
        }
        return new ItemVectors(items, d, byDimension, present);
    }

    /** Heap bytes of the prepared vectors (the row-major input is freed after {@link #of}, but both exist during it). */
    public static long bytesFor(long items, int dimension) {
        return 4L * items * dimension + items;
    }

    public int items() {
        return items;
    }

    public int dimension() {
        return dimension;
    }

    public boolean present(int item) {
        return present[item];
    }

    /** Normalised component {@code k} of {@code item}'s vector. */
    public float component(int item, int k) {
        return byDimension[k * items + item];
    }
}
