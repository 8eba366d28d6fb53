package dev.recstage.recommend;

import java.util.Arrays;

/** Neighbour lists whose entries are two arrays on the heap: the fastest to read, when the heap holds them. */
final class HeapNeighborLists extends NeighborLists {
    private final int[] neighbors;
    private final float[] scores;

    HeapNeighborLists(int[] rowStart, int[] neighbors, float[] scores) {
        super(rowStart);
        this.neighbors = neighbors;
        this.scores = scores;
    }

    @Override
    public void load(int item, Row row) {
        row.neighbors = neighbors;
        row.scores = scores;
        row.from = rowStart(item);
        row.to = rowEnd(item);
    }

    /** Heap bytes of lists with this many items and entries. */
    static long bytesFor(long items, long entries) {
        return rowStartBytes(items) + entryBytes(entries);
    }

    /** Fills arrays of the table's row count (its manifests'), trimmed to the entries kept. */
    static final class Builder implements NeighborLists.Builder {
        private int[] neighbors;
        private float[] scores;
        private int size;

        Builder(int capacity) {
            neighbors = new int[capacity];
            scores = new float[capacity];
        }

        @Override
        public void append(int[] rowNeighbors, float[] rowScores, int count) {
            System.arraycopy(rowNeighbors, 0, neighbors, size, count);
            System.arraycopy(rowScores, 0, scores, size, count);
            size += count;
        }

        @Override
        public NeighborLists build(int[] rowStart) {
            if (size < neighbors.length) {
                neighbors = Arrays.copyOf(neighbors, size);
                scores = Arrays.copyOf(scores, size);
            }
            return new HeapNeighborLists(rowStart, neighbors, scores);
        }
    }
}
