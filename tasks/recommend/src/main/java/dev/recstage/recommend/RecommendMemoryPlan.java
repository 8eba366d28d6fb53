package dev.recstage.recommend;

import dev.recstage.core.arrow.TableWriter;
import dev.recstage.core.memory.MemoryBudget;
import dev.recstage.core.memory.MemoryPlan;

/**
 * What a recommend run holds at its peak, from the inputs' manifests, before anything large is
 * allocated: the two neighbour lists (or, mapped from disk, their row offsets), the popularity order, the history reduction, one block of
 * users and one scorer per thread, the blended row of the related list, and the id dictionaries.
 * Exit 4 with advice when it cannot fit.
 */
final class RecommendMemoryPlan {
    static final String ADVICE = "lower --threads, --batch-size (RECOMMEND_BATCH_SIZE) or RECOMMEND_MAX_HISTORY, "
            + "keep the neighbour lists on disk (RECOMMEND_NEIGHBOR_STORAGE=auto or disk), "
            + "or raise the memory limit (RECOMMEND_MEMORY_LIMIT)";
    /** Bytes per row of one Arrow record batch being read or written (ids, codes, weights, times, validity). */
    private static final long ARROW_ROW_BYTES = 32;

    /**
     * @param behaviorRows  entries of the behaviour lists read (0 when its weight is 0)
     * @param contentRows   entries of the content lists read (0 when its weight is 0)
     * @param longestRow    the most entries of one blended row (sum of the two sources' top K)
     * @param idBytes       off-heap bytes of the item and user ids as read ({@link dev.recstage.core.features.FeaturesInput#itemIdBytes})
     * @param storage       where the lists are kept: {@code HEAP} or {@code DISK} (mapped: listed, not counted)
     */
    static MemoryPlan of(int items, long behaviorRows, long contentRows, int longestRow, RecommendSettings settings,
                         long idBytes, NeighborStorage storage) {
        int workers = Math.max(1, Math.min(settings.threads(), settings.batchUsers()));
        MemoryPlan plan = new MemoryPlan();
        if (storage == NeighborStorage.DISK) {
            plan.heap("behaviour row offsets", NeighborLists.rowStartBytes(items))
                    .heap("content row offsets", NeighborLists.rowStartBytes(items))
                    .mapped("behaviour lists", MappedNeighborLists.fileBytes(behaviorRows))
                    .mapped("content lists", MappedNeighborLists.fileBytes(contentRows))
                    .offHeap("scratch write buffers", 2L * MappedNeighborLists.Builder.WRITE_BUFFER_BYTES);
        } else {
            plan.heap("behaviour lists", HeapNeighborLists.bytesFor(items, behaviorRows))
                    .heap("content lists", HeapNeighborLists.bytesFor(items, contentRows));
        }
        return plan
                .heap("popularity order", PopularItems.bytesFor(items))
                .heap("history reduction", 12L * items)
                .heap("block of users", UserRecommender.blockBytes(settings.batchUsers(), settings.history().maxItemsPerUser(),
                        settings.userTopN(), items))
                .heap("related row", BlendedRow.bytesFor(longestRow))
                .heap("scorers (" + workers + " threads)", workers * UserScorer.bytesFor(items))
                .offHeap("item and user ids", idBytes)
                .offHeap("Arrow batches", 3L * TableWriter.BATCH_ROWS * ARROW_ROW_BYTES);
    }

    static void requireFits(MemoryPlan plan, MemoryBudget budget) {
        plan.requireFits(budget, ADVICE);
    }
}
