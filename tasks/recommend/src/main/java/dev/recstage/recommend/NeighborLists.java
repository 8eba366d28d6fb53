package dev.recstage.recommend;

/**
 * One source's neighbour lists (behaviour or content): row {@code i} is the entries
 * {@code [rowStart(i), rowEnd(i))}, neighbours ascending by index (so that two sources merge in
 * one pass), each score divided by the row's top score: every row's best neighbour has 1 and the
 * rest lie in (0, 1], whatever the metric that produced them. The row offsets are on the heap; the
 * entries are on the heap ({@link HeapNeighborLists}) or in a mapped scratch file
 * ({@link MappedNeighborLists}) when the heap cannot hold them.
 */
public abstract sealed class NeighborLists permits HeapNeighborLists, MappedNeighborLists {
    private final int[] rowStart;

    /** @param rowStart {@code items + 1} offsets into the entries */
    NeighborLists(int[] rowStart) {
        this.rowStart = rowStart;
    }

    /** No neighbours for any of {@code items} items (a source whose weight is 0). */
    public static NeighborLists empty(int items) {
        return new HeapNeighborLists(new int[items + 1], new int[0], new float[0]);
    }

    public final int items() {
        return rowStart.length - 1;
    }

    public final int rowStart(int item) {
        return rowStart[item];
    }

    public final int rowEnd(int item) {
        return rowStart[item + 1];
    }

    /** Points {@code row} at the entries of {@code item}'s row (heap lists), or copies them into it (mapped lists). */
    public abstract void load(int item, Row row);

    /** Loads {@code item}'s row when {@code wanted}, else makes {@code row} empty (a source whose weight is 0). */
    public final void loadIf(boolean wanted, int item, Row row) {
        if (wanted) {
            load(item, row);
        } else {
            row.from = 0;
            row.to = 0;
        }
    }

    public final long entries() {
        return rowStart[rowStart.length - 1];
    }

    /** Heap bytes of the row offsets, wherever the entries are. */
    static long rowStartBytes(long items) {
        return 4 * (items + 1);
    }

    /** Bytes of the entries themselves: a neighbour index and a score each. */
    static long entryBytes(long entries) {
        return 8 * entries;
    }

    /**
     * One row's entries, {@code neighbors[from, to)} with their {@code scores}, read as arrays in the
     * hot loops whatever the storage: the lists' own arrays (heap) or a copy of the row in this
     * row's buffers (mapped). Scratch for one thread; the next {@link #load} overwrites it.
     */
    public static final class Row {
        int[] neighbors = new int[0];
        float[] scores = new float[0];
        int from;
        int to;
        private int[] copiedNeighbors = new int[0];
        private float[] copiedScores = new float[0];

        /** Points the row at its own buffers, grown to {@code length}, as {@code [0, length)}. */
        void copyOf(int length) {
            if (copiedNeighbors.length < length) {
                copiedNeighbors = new int[Math.max(length, 2 * copiedNeighbors.length)];
                copiedScores = new float[copiedNeighbors.length];
            }
            neighbors = copiedNeighbors;
            scores = copiedScores;
            from = 0;
            to = length;
        }
    }

    /** Receives the scaled rows in item order and makes the lists. */
    interface Builder {
        void append(int[] neighbors, float[] scores, int count);

        /** @param rowStart the row offsets, the last one the number of entries appended */
        NeighborLists build(int[] rowStart);
    }
}
