package dev.recstage.core.engine;

/**
 * Receives the finished neighbour lists of a run, one call per row.
 *
 * <p>The engine calls {@link #accept} from the caller's thread (the one that called
 * {@link TopKEngine#run}), exactly once for every row of the requested range and in strictly
 * ascending row order. A row without any neighbour (no other row shares a column with it, or none
 * passes the scorer's minimum of common columns) is still reported, with {@code count == 0}.
 */
@FunctionalInterface
public interface NeighborSink {

    /**
     * @param row       the row (item index) whose neighbours these are
     * @param neighbors neighbour rows in positions {@code [0, count)}, never {@code row} itself
     * @param scores    their scores in the same positions, descending; equal scores are ordered by
     *                  smaller neighbour index first
     * @param count     number of valid positions, between 0 and K
     *                  <p>The arrays are reused for the next row: copy what must be kept.
     */
    void accept(int row, int[] neighbors, float[] scores, int count);
}
