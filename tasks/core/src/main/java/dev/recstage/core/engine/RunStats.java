package dev.recstage.core.engine;

/**
 * What a run did, for logs and benchmarks (not needed to use the results).
 *
 * @param rows            rows emitted
 * @param postingsScanned entries of the inverted index visited while accumulating
 * @param candidates      pairs (i, j), j ≠ i, that shared a visited column (the pruned path admits fewer)
 * @param rescored        candidates completed after their row stopped admitting (pruned path only)
 * @param earlyStops      rows whose candidate admission stopped before their last column (pruned path only)
 * @param pruned          whether the pruned path ran
 */
public record RunStats(long rows, long postingsScanned, long candidates, long rescored, long earlyStops, boolean pruned) {
}
