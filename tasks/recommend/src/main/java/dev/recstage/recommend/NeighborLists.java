package dev.recstage.recommend;

/**
 * One source's neighbour lists (behaviour or content), or the part of them whose neighbours lie in
 * one {@link NeighborRange}, as compact arrays: row {@code i} is {@code [rowStart(i), rowEnd(i))},
 * neighbours ascending by index (so that two sources merge in one pass), each score divided by the
 * row's top score over the whole row: every row's best neighbour has 1 and the rest lie in (0, 1],
 * whatever the metric that produced them and whichever range was read.
 */
public final class NeighborLists {
    /** Heap bytes of one entry: the neighbour's index and its scaled score. */
    static final int ENTRY_BYTES = 8;

    private final int[] rowStart;
    private final int[] neighbors;
    private final float[] scores;

    /**
     * @param rowStart  {@code items + 1} offsets into the two arrays
     * @param neighbors per row, ascending
     * @param scores    per row, in (0, 1]
     */
    NeighborLists(int[] rowStart, int[] neighbors, float[] scores) {
        this.rowStart = rowStart;
        this.neighbors = neighbors;
        this.scores = scores;
    }

    /** No neighbours for any of {@code items} items (a source whose weight is 0). */
    public static NeighborLists empty(int items) {
        return new NeighborLists(new int[items + 1], new int[0], new float[0]);
    }

    public int items() {
        return rowStart.length - 1;
    }

    public int rowStart(int item) {
        return rowStart[item];
    }

    public int rowEnd(int item) {
        return rowStart[item + 1];
    }

    public int neighbor(int entry) {
        return neighbors[entry];
    }

    public float score(int entry) {
        return scores[entry];
    }

    public long entries() {
        return neighbors.length;
    }

    /** Heap bytes of lists with this many items and entries. */
    public static long bytesFor(long items, long entries) {
        return 4 * (items + 1) + ENTRY_BYTES * entries;
    }
}
