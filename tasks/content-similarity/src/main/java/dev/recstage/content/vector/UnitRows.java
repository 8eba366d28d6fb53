package dev.recstage.content.vector;

import dev.recstage.core.features.FeaturesInput;

/**
 * The L2-normalised vectors of the items that have one, row-major in one array
 * ({@code values[ord·d + k]}), numbered by ordinal in item order: the layout an HNSW graph walk
 * reads (one vector at a time), where {@link ItemVectors} holds panels for the exact kernel.
 */
public final class UnitRows {
    final int dimension;
    final float[] values;
    private final int[] itemOfOrd;
    private final int[] ordOfItem;

    private UnitRows(int dimension, float[] values, int[] itemOfOrd, int[] ordOfItem) {
        this.dimension = dimension;
        this.values = values;
        this.itemOfOrd = itemOfOrd;
        this.ordOfItem = ordOfItem;
    }

    /**
     * Normalises row-major embeddings ({@code values[item·d + k]}) in their own array and packs the
     * rows of the items that have a vector to its front, in item order: the index needs no second
     * copy of the vectors. The floats are those {@link ItemVectors} gives (the same double norm and
     * division). The embeddings' array belongs to the rows from then on.
     */
    public static UnitRows inPlace(FeaturesInput.Embeddings embeddings, int items) {
        int d = embeddings.dimension();
        float[] values = embeddings.values();
        if ((long) items * d != values.length) {
            throw new IllegalArgumentException("embeddings hold " + values.length + " values, expected " + items + "×" + d);
        }
        int[] ordOfItem = new int[items];
        int count = 0;
        for (int i = 0; i < items; i++) {
            double norm = ItemVectors.norm(values, i, d);
            if (!ItemVectors.isVector(norm)) {
                ordOfItem[i] = -1;
                continue;
            }
            // The packed row starts at or before row i, and each component is read before it is written.
            int at = count * d;
            for (int k = 0; k < d; k++) {
                values[at + k] = (float) (values[i * d + k] / norm);
            }
            ordOfItem[i] = count++;
        }
        int[] itemOfOrd = new int[count];
        for (int i = 0; i < items; i++) {
            if (ordOfItem[i] >= 0) {
                itemOfOrd[ordOfItem[i]] = i;
            }
        }
        return new UnitRows(d, values, itemOfOrd, ordOfItem);
    }

    /** Heap bytes for {@code items} items: the embeddings' own array and the ordinal maps. */
    public static long bytesFor(long items, int dimension) {
        return 4L * items * dimension + 8L * items;
    }

    public int items() {
        return ordOfItem.length;
    }

    /** Items with a vector: the index's ordinals are 0 .. size-1. */
    public int size() {
        return itemOfOrd.length;
    }

    public int dimension() {
        return dimension;
    }

    int itemOf(int ord) {
        return itemOfOrd[ord];
    }

    /** The item's ordinal, or -1 when it has no vector. */
    int ordOf(int item) {
        return ordOfItem[item];
    }
}
