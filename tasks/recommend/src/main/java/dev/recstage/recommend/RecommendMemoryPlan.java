package dev.recstage.recommend;

import dev.recstage.core.arrow.TableWriter;
import dev.recstage.core.memory.MemoryBudget;
import dev.recstage.core.memory.MemoryPlan;

/**
 * What a recommend run holds at its peak, from the inputs' manifests, before anything large is
 * allocated: the two neighbour lists (all of them, or those of its largest pass over a neighbour
 * range, with every user's and item's running top N), the popularity order, the history
 * reduction, one block of users and one scorer per thread, the blended row of the related list,
 * and the id dictionaries. Exit 4 with advice when it cannot fit.
 */
final class RecommendMemoryPlan {
    static final String ADVICE = "lower --threads, --batch-size (RECOMMEND_BATCH_SIZE) or RECOMMEND_MAX_HISTORY, "
            + "lower USER_TOP_N and RELATED_TOP_N (kept for every user and item when the lists are read in passes), "
            + "or raise the memory limit (RECOMMEND_MEMORY_LIMIT)";
    /** Bytes per row of one Arrow record batch being read or written (ids, codes, weights, times, validity). */
    private static final long ARROW_ROW_BYTES = 32;

    private RecommendMemoryPlan() {
    }

    /**
     * Everything but the neighbour lists.
     *
     * @param longestRow the most entries of one blended row (sum of the two sources' top K)
     * @param idBytes    off-heap bytes of the item and user ids as read ({@link dev.recstage.core.features.FeaturesInput#itemIdBytes})
     * @param inPasses   whether the lists are read in passes: then every user's and item's running top N, and the neighbour counts
     */
    static MemoryPlan withoutLists(int items, int users, int longestRow, RecommendSettings settings, long idBytes, boolean inPasses) {
        int workers = Math.max(1, Math.min(settings.threads(), settings.batchUsers()));
        MemoryPlan plan = new MemoryPlan();
        if (inPasses) {
            plan.heap("users' running top N", RunningTopN.bytesFor(users, settings.userTopN()))
                    .heap("items' running related top N", RunningTopN.bytesFor(items, settings.relatedTopN()))
                    .heap("neighbour counts", 2 * NeighborCounts.bytesFor(items));
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

    /**
     * The whole plan.
     *
     * @param behaviorEntries entries of the behaviour lists held at once (0 when its weight is 0)
     * @param contentEntries  entries of the content lists held at once (0 when its weight is 0)
     * @param passes          the number of passes over neighbour ranges (1: all lists at once)
     */
    static MemoryPlan of(int items, int users, int longestRow, RecommendSettings settings, long idBytes,
                         long behaviorEntries, long contentEntries, int passes) {
        String held = passes == 1 ? "" : " of the largest pass";
        return withoutLists(items, users, longestRow, settings, idBytes, passes > 1)
                .heap("behaviour lists" + held, NeighborLists.bytesFor(items, behaviorEntries))
                .heap("content lists" + held, NeighborLists.bytesFor(items, contentEntries));
    }

    /** The most entries one pass may hold besides {@code withoutLists}: what the heap room leaves after the two sources' row offsets. */
    static long maxEntriesPerPass(MemoryPlan withoutLists, MemoryBudget budget, int items) {
        return Math.max(0, withoutLists.heapRoom(budget) - 2 * NeighborLists.bytesFor(items, 0)) / NeighborLists.ENTRY_BYTES;
    }

    static void requireFits(MemoryPlan plan, MemoryBudget budget) {
        plan.requireFits(budget, ADVICE);
    }
}
