package dev.recstage.recommend;

/** One pass of a recommend run: the neighbour range it holds and its entries per source (the readers' capacities). */
record NeighborPass(NeighborRange range, long behaviorEntries, long contentEntries) {
}
