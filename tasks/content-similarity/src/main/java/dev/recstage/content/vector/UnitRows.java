package dev.recstage.content.vector;

import java.util.Arrays;

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

    /** The same normalised floats as {@code vectors}, items without a vector left out. */
    public static UnitRows of(ItemVectors vectors) {
        int d = vectors.dimension;
        int[] ordOfItem = new int[vectors.items];
        Arrays.fill(ordOfItem, -1);
        int count = 0;
        for (int i = 0; i < vectors.items; i++) {
            if (vectors.present[i]) {
                ordOfItem[i] = count++;
            }
        }
        int[] itemOfOrd = new int[count];
        float[] values = new float[Math.toIntExact((long) count * d)];
        for (int i = 0; i < vectors.items; i++) {
            int ord = ordOfItem[i];
            if (ord >= 0) {
                itemOfOrd[ord] = i;
                vectors.copyRows(i, 1, values, ord * d);
            }
        }
        return new UnitRows(d, values, itemOfOrd, ordOfItem);
    }

    /** Heap bytes for {@code items} items (all with a vector). */
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
