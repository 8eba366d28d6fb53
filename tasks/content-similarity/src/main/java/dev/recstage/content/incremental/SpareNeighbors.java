package dev.recstage.content.incremental;

import dev.recstage.core.arrow.NeighborsWriter;
import dev.recstage.core.engine.NeighborSink;

/**
 * {@code content_spares.arrow}: beside the top K of every row, the next {@code CONTENT_INCREMENTAL_SPARES}
 * (ranks K+1…K+E, written with ranks 1…E), so that a later incremental run can refill a list that
 * lost entries to removed or changed items without scoring its row again. The engine's top K+E
 * starts with its top K, so the neighbours file is the same as without spares.
 */
public final class SpareNeighbors implements NeighborSink {
    public static final String FILE_NAME = "content_spares.arrow";

    private final NeighborsWriter main;
    private final NeighborsWriter spares;
    private final int k;
    private final int[] spareNeighbors;
    private final float[] spareScores;

    /** Splits rows of up to {@code k + spareCount} neighbours into the first {@code k} and the rest. */
    public SpareNeighbors(NeighborsWriter main, NeighborsWriter spares, int k, int spareCount) {
        this.main = main;
        this.spares = spares;
        this.k = k;
        this.spareNeighbors = new int[spareCount];
        this.spareScores = new float[spareCount];
    }

    @Override
    public void accept(int row, int[] neighbors, float[] scores, int count) {
        main.accept(row, neighbors, scores, Math.min(count, k));
        int rest = count - k;
        if (rest > 0) {
            System.arraycopy(neighbors, k, spareNeighbors, 0, rest);
            System.arraycopy(scores, k, spareScores, 0, rest);
            spares.accept(row, spareNeighbors, spareScores, rest);
        }
    }
}
