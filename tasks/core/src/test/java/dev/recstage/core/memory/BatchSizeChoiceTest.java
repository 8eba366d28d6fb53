package dev.recstage.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.core.cli.ExitCode;
import dev.recstage.core.cli.StageException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class BatchSizeChoiceTest {
    private static final long ROW = 1 << 20;
    private static final long FIXED = 5 * ROW;
    private static final String ADVICE = "raise the memory limit";
    /** A fixed part plus one MiB per row of the block. */
    private static final IntFunction<MemoryPlan> PLAN = batch -> new MemoryPlan().heap("matrix", FIXED).offHeap("block", batch * ROW);

    /** A limit with room for exactly {@code rows} rows of block beside a max heap of half the limit, as in production. */
    private static MemoryBudget roomFor(long rows) {
        long limit = 2 * (MemoryPlan.RUNTIME_NON_HEAP + rows * ROW);
        return new MemoryBudget(limit, "test", limit / 2);
    }

    /** The answer by trying every batch size. */
    private static int largestFittingByScan(int maxBatch, MemoryBudget budget) {
        int best = 0;
        for (int batch = 1; batch <= maxBatch; batch++) {
            if (PLAN.apply(batch).fits(budget)) {
                best = batch;
            }
        }
        return best;
    }

    @Test
    void autoIsTheLargestBatchThatFitsUpToTheRowCount() {
        for (int maxBatch : new int[] {1, 2, 7, 100, 1000}) {
            for (long room : new long[] {1, 2, 3, 50, 99, 100, 101, 999, 5000}) {
                MemoryBudget budget = roomFor(room);
                int expected = largestFittingByScan(maxBatch, budget);
                assertEquals(expected, BatchSizeChoice.choose(OptionalInt.empty(), maxBatch, PLAN, budget, ADVICE),
                        "maxBatch " + maxBatch + ", room " + room);
            }
        }
    }

    @Test
    void autoWithNoRowsStillPlansOneRow() {
        assertEquals(1, BatchSizeChoice.choose(OptionalInt.empty(), 0, PLAN, roomFor(10), ADVICE));
    }

    @Test
    void autoFailsWithExit4WhenNotEvenOneRowFits() {
        StageException e = assertThrows(StageException.class, () -> BatchSizeChoice.choose(OptionalInt.empty(), 10, PLAN, roomFor(0), ADVICE));
        assertEquals(ExitCode.MEMORY_BUDGET, e.exitCode());
        assertTrue(e.getMessage().endsWith(ADVICE), e.getMessage());
    }

    @Test
    void aRequestedBatchIsKeptWhenItFits() {
        assertEquals(40, BatchSizeChoice.choose(OptionalInt.of(40), 1000, PLAN, roomFor(40), ADVICE));
    }

    @Test
    void aRequestLargerThanTheRowsIsPlannedAtTheRowCount() {
        List<Integer> planned = new ArrayList<>();
        IntFunction<MemoryPlan> recording = batch -> {
            planned.add(batch);
            return PLAN.apply(batch);
        };
        assertEquals(5000, BatchSizeChoice.choose(OptionalInt.of(5000), 30, recording, roomFor(30), ADVICE));
        assertEquals(List.of(30), planned);
    }

    @Test
    void aRequestedBatchThatDoesNotFitIsExit4SuggestingASmallerOne() {
        StageException e = assertThrows(StageException.class, () -> BatchSizeChoice.choose(OptionalInt.of(41), 1000, PLAN, roomFor(40), ADVICE));
        assertEquals(ExitCode.MEMORY_BUDGET, e.exitCode());
        assertTrue(e.getMessage().contains(ADVICE + ", or lower SIMILARITY_BATCH_SIZE (or set it to auto)"), e.getMessage());
        assertFalse(PLAN.apply(41).fits(roomFor(40)));
    }
}
