package dev.recstage.recommend;

import dev.recstage.core.engine.TopKHeap;

/**
 * The related list of an item: the top N of its blended row ({@link BlendedRow}), best first,
 * equal float scores by neighbour index. An item without behaviour neighbours gets its list from
 * content alone, and the other way round. Scratch for one thread.
 */
final class RelatedItems {
    private final BlendedRow row;
    private final TopKHeap heap;

    RelatedItems(BlendedRow row, int topN) {
        this.row = row;
        this.heap = new TopKHeap(topN);
    }

    /** Writes {@code item}'s list into the arrays from index 0; returns its length. */
    int listFor(int item, int[] outNeighbors, float[] outScores, byte[] outSources) {
        int size = row.load(item);
        for (int e = 0; e < size; e++) {
            heap.offer(row.neighbor(e), (float) row.score(e));
        }
        int count = heap.drainSorted(outNeighbors, outScores, 0);
        for (int r = 0; r < count; r++) {
            outSources[r] = row.source(entryOf(outNeighbors[r], size));
        }
        return count;
    }

    /** The entry of neighbour {@code j} in the loaded row (ascending by neighbour). */
    private int entryOf(int j, int size) {
        int low = 0;
        int high = size - 1;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (row.neighbor(middle) < j) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }
}
