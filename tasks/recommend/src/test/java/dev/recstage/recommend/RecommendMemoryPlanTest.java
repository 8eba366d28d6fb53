package dev.recstage.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.core.cli.ExitCode;
import dev.recstage.core.cli.StageException;
import dev.recstage.core.history.Aggregation;
import dev.recstage.core.history.HistorySettings;
import dev.recstage.core.memory.MemoryBudget;
import dev.recstage.core.memory.MemoryPlan;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecommendMemoryPlanTest {
    private static final int ITEMS = 1_000_000;

    private static final int USERS = ITEMS / 2;

    private static RecommendSettings settings(int threads, int batchUsers, int maxHistory) {
        return new RecommendSettings(20, 20, new BlendWeights(0.5, 0.5), false,
                new HistorySettings(Optional.empty(), Aggregation.MAX, 0, maxHistory), threads, batchUsers, 0);
    }

    private static MemoryPlan plan(RecommendSettings settings) {
        return RecommendMemoryPlan.of(ITEMS, USERS, 400, settings, 30L * ITEMS, 200L * ITEMS, 200L * ITEMS, 1);
    }

    @Test
    void listsDominateAndEachThreadAddsItsDenseScratch() {
        MemoryPlan one = plan(settings(1, 1000, 500));
        MemoryPlan four = plan(settings(4, 1000, 500));
        // Two sources of 200 neighbours per item: 8 bytes per entry and the row offsets.
        assertTrue(one.heapBytes() > 2 * 8L * 200 * ITEMS);
        assertEquals(3 * UserScorer.bytesFor(ITEMS), four.heapBytes() - one.heapBytes());
    }

    @Test
    void aPlanThatDoesNotFitIsExit4WithAdvice() {
        MemoryBudget budget = new MemoryBudget(2L << 30, "test", 1L << 30);
        StageException e = assertThrows(StageException.class,
                () -> RecommendMemoryPlan.requireFits(plan(settings(2, 1000, 500)), budget));
        assertEquals(ExitCode.MEMORY_BUDGET, e.exitCode());
        assertTrue(e.getMessage().contains("RECOMMEND_MEMORY_LIMIT"), e.getMessage());
        assertTrue(e.getMessage().contains("content lists"), e.getMessage());
    }

    @Test
    void aBlockOfUsersGrowsWithTheHistoryCap() {
        long small = plan(settings(1, 1000, 50)).heapBytes();
        long large = plan(settings(1, 1000, 500)).heapBytes();
        assertEquals(UserRecommender.blockBytes(1000, 500, 20, ITEMS) - UserRecommender.blockBytes(1000, 50, 20, ITEMS), large - small);
    }

    @Test
    void aMillionItemsWithTwoHundredNeighboursPerSourceFitTwoGibibytesInPasses() {
        // A 2 GiB pod at the default heap share of 50%: 3.2 GB of lists at once do not fit; passes of what the room leaves do.
        MemoryBudget budget = new MemoryBudget(2L << 30, "test", 1L << 30);
        RecommendSettings settings = settings(2, 1000, 500);
        assertFalse(plan(settings).fits(budget));
        MemoryPlan withoutLists = RecommendMemoryPlan.withoutLists(ITEMS, USERS, 400, settings, 30L * ITEMS, true);
        long perPass = RecommendMemoryPlan.maxEntriesPerPass(withoutLists, budget, ITEMS);
        long passes = (400L * ITEMS + perPass - 1) / perPass;
        assertTrue(passes >= 5 && passes <= 12, passes + " passes of " + perPass + " entries");
        MemoryPlan largest = RecommendMemoryPlan.of(ITEMS, USERS, 400, settings, 30L * ITEMS, perPass / 2, perPass - perPass / 2, (int) passes);
        assertTrue(largest.fits(budget), largest.describe(budget));
        assertFalse(RecommendMemoryPlan.of(ITEMS, USERS, 400, settings, 30L * ITEMS, perPass / 2, perPass - perPass / 2 + 1, (int) passes)
                .fits(budget), "one entry more than the room leaves");
        // Every user's and item's running top 20 is what the passes cost besides the lists.
        assertEquals(RunningTopN.bytesFor(USERS, 20) + RunningTopN.bytesFor(ITEMS, 20) + 2 * NeighborCounts.bytesFor(ITEMS),
                withoutLists.heapBytes() - RecommendMemoryPlan.withoutLists(ITEMS, USERS, 400, settings, 30L * ITEMS, false).heapBytes());
    }
}
