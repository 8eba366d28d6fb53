package dev.recstage.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    private static RecommendSettings settings(int threads, int batchUsers, int maxHistory) {
        return new RecommendSettings(20, 20, new BlendWeights(0.5, 0.5), false,
                new HistorySettings(Optional.empty(), Aggregation.MAX, 0, maxHistory), threads, batchUsers, NeighborStorage.AUTO);
    }

    private static MemoryPlan plan(RecommendSettings settings) {
        return plan(settings, NeighborStorage.HEAP);
    }

    private static MemoryPlan plan(RecommendSettings settings, NeighborStorage storage) {
        return RecommendMemoryPlan.of(ITEMS, 200L * ITEMS, 200L * ITEMS, 400, settings, 30L * ITEMS, storage);
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
    void listsOnDiskLeaveOnlyTheirRowOffsetsOnTheHeapAndAreListedAsMapped() {
        MemoryPlan heap = plan(settings(2, 1000, 500));
        MemoryPlan disk = plan(settings(2, 1000, 500), NeighborStorage.DISK);
        long entries = 2 * 200L * ITEMS;
        assertEquals(8 * entries, heap.heapBytes() - disk.heapBytes());
        assertEquals(8 * entries, disk.mappedBytes());
        assertEquals(0, heap.mappedBytes());
        assertEquals(heap.offHeapBytes() + 2L * MappedNeighborLists.Builder.WRITE_BUFFER_BYTES, disk.offHeapBytes());
    }

    @Test
    void aMillionItemsWithTwoHundredNeighboursPerSourceFitTwoGibibytesOnlyWithTheListsOnDisk() {
        // A 2 GiB pod at the default heap share of 50%.
        MemoryBudget budget = new MemoryBudget(2L << 30, "test", 1L << 30);
        assertTrue(!plan(settings(2, 1000, 500)).fits(budget));
        MemoryPlan disk = plan(settings(2, 1000, 500), NeighborStorage.DISK);
        assertTrue(disk.fits(budget), disk.describe(budget));
        // What the mapped 3.2 GB cannot keep in page cache beside the heap is read again from disk: counted, not fatal.
        assertEquals(disk.mappedBytes() - (budget.limitBytes() - disk.residentBytes(budget.maxHeapBytes())),
                disk.mappedBeyondRoom(budget));
    }

    @Test
    void autoKeepsTheListsOnTheHeapWhenTheyFitThereAndOnDiskOtherwiseAndANamedChoiceStands() {
        RecommendSettings settings = settings(2, 1000, 500);
        MemoryBudget twoGibibytes = new MemoryBudget(2L << 30, "test", 1L << 30);
        MemoryBudget eightGibibytes = new MemoryBudget(8L << 30, "test", 4L << 30);
        assertEquals(NeighborStorage.DISK, NeighborStorage.AUTO.resolve(where -> plan(settings, where), twoGibibytes));
        assertEquals(NeighborStorage.HEAP, NeighborStorage.AUTO.resolve(where -> plan(settings, where), eightGibibytes));
        assertEquals(NeighborStorage.HEAP, NeighborStorage.HEAP.resolve(where -> plan(settings, where), twoGibibytes));
        assertEquals(NeighborStorage.DISK, NeighborStorage.DISK.resolve(where -> plan(settings, where), eightGibibytes));
    }

    @Test
    void aStorageNameOtherThanAutoHeapOrDiskIsExit2NamingTheSetting() {
        assertEquals(NeighborStorage.DISK, NeighborStorage.parse(" Disk "));
        StageException e = assertThrows(StageException.class, () -> NeighborStorage.parse("mmap"));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("RECOMMEND_NEIGHBOR_STORAGE=mmap"), e.getMessage());
    }
}
