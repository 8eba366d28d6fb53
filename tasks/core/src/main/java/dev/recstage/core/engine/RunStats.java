package dev.recstage.core.engine;

/**
 * What a run did, for logs and benchmarks (not needed to use the results).
 *
 * @param rows             rows emitted
 * @param postingsScanned  entries of the inverted index visited while accumulating
 * @param denseOps         multiply-adds of the dense passes over common columns (approximating path)
 * @param candidates       pairs (i, j), j ≠ i, whose exact score was formed: every pair sharing a visited
 *                         column on the scatter path, fewer on the pruned path, only those the error bound
 *                         cannot rule out on the approximating path
 * @param approximatedRows rows the approximating path handled (the others were scattered exactly)
 * @param rescored         candidates completed after their row stopped admitting (pruned path only)
 * @param earlyStops       rows whose candidate admission stopped before their last column (pruned path only)
 * @param pruned           whether the pruned path ran
 */
public record RunStats(long rows, long postingsScanned, long denseOps, long candidates, long approximatedRows,
                       long rescored, long earlyStops, boolean pruned) {
}
