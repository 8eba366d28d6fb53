package dev.recstage.core.engine;

/**
 * One block's results: K slots per row, filled by worker threads (each row by one worker, in any
 * order) and then emitted to a {@link NeighborSink} in row order from the caller's thread. Public
 * for the stages' own block searches (vector and blended neighbours), which emit the same way.
 */
public final class BlockResults {
    private final int k;
    private final int[] neighbors;
    private final float[] scores;
    private final int[] counts;
    private final int[] rowNeighbors;
    private final float[] rowScores;

    public BlockResults(int capacity, int k) {
        this.k = k;
        this.neighbors = new int[capacity * k];
        this.scores = new float[capacity * k];
        this.counts = new int[capacity];
        this.rowNeighbors = new int[k];
        this.rowScores = new float[k];
    }

    static long bytesFor(long capacity, long k) {
        return 8L * capacity * k + 4L * capacity + 8L * k;
    }

    /** Where the K slots of the block's {@code slot}-th row start in {@link #neighbors()} and {@link #scores()}. */
    public int offset(int slot) {
        return slot * k;
    }

    public int[] neighbors() {
        return neighbors;
    }

    public float[] scores() {
        return scores;
    }

    /** How many of the slot's K entries hold neighbours, best first. */
    public void setCount(int slot, int count) {
        counts[slot] = count;
    }

    /** Hands rows {@code [blockStart, blockEnd)} to the sink in row order. */
    public void emit(int blockStart, int blockEnd, NeighborSink sink) {
        for (int row = blockStart; row < blockEnd; row++) {
            int slot = row - blockStart;
            int count = counts[slot];
            System.arraycopy(neighbors, offset(slot), rowNeighbors, 0, count);
            System.arraycopy(scores, offset(slot), rowScores, 0, count);
            sink.accept(row, rowNeighbors, rowScores, count);
        }
    }
}
