package dev.recstage.recommend;

import dev.recstage.core.arrow.TableWriter;
import dev.recstage.core.memory.MemoryBudget;
import dev.recstage.core.memory.MemoryPlan;

/**
 * What a recommend run holds at its peak, from the inputs' manifests, before anything large is
 * allocated: the two neighbour lists, the popularity order, the history reduction, one block of
 * users and one scorer per thread, the blended row of the related list, and the id dictionaries.
 * Exit 4 with advice when it cannot fit.
 */
final class RecommendMemoryPlan {
    static final String ADVICE = "lower --threads, --batch-size (RECOMMEND_BATCH_SIZE) or RECOMMEND_MAX_HISTORY, "
            + "or raise the memory limit (RECOMMEND_MEMORY_LIMIT)";
    /** Bytes per row of one Arrow record batch being read or written (ids, codes, weights, times, validity). */
    private static final long ARROW_ROW_BYTES = 32;

    /**
     * @param behaviorRows  entries of the behaviour lists read (0 when its weight is 0)
     * @param contentRows   entries of the content lists read (0 when its weight is 0)
     * @param longestRow    the most entries of one blended row (sum of the two sources' top K)
     * @param idBytes       off-heap bytes of the item and user ids as read ({@link dev.recstage.core.features.FeaturesInput#itemIdBytes})
     */
    static MemoryPlan of(int items, long behaviorRows, long contentRows, int longestRow, RecommendSettings settings,
                         long idBytes) {
        int workers = Math.max(1, Math.min(settings.threads(), settings.batchUsers()));
        return new MemoryPlan()
                .heap("behaviour lists", NeighborLists.bytesFor(items, behaviorRows))
                .heap("content lists", NeighborLists.bytesFor(items, contentRows))
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
