package dev.recstage.behavior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.core.cli.ExitCode;
import dev.recstage.core.cli.StageException;
import dev.recstage.core.config.EngineOptions;
import dev.recstage.core.history.Aggregation;
import dev.recstage.core.history.HistoryScan;
import dev.recstage.core.memory.MemoryBudget;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class BehaviorMemoryPlanTest {
    private static final int ITEMS = 50_000;
    private static final int USERS = 20_000;
    private static final BehaviorSettings SETTINGS = new BehaviorSettings(Optional.empty(), Aggregation.MAX, 0, 500,
            Metric.COSINE, 1, 200);

    private static BehaviorMemoryPlan plan(EngineOptions options) {
        InteractionMatrixBuilder.RowCounts counts = new InteractionMatrixBuilder.RowCounts(new int[ITEMS], 1_000_000, 900,
                new HistoryScan.Stats(1_000_000, 0, 0, USERS, 0));
        return new BehaviorMemoryPlan(counts, ITEMS, USERS, SETTINGS, options, 1 << 20);
    }

    @Test
    void tinyBudgetIsExit4WithAdvice() {
        MemoryBudget tiny = new MemoryBudget(64L << 20, "test", 48L << 20);
        StageException e = assertThrows(StageException.class,
                () -> plan(new EngineOptions(2, OptionalInt.of(1000), false)).chooseBatch(OptionalInt.of(1000), ITEMS, tiny));
        assertEquals(ExitCode.MEMORY_BUDGET, e.exitCode());
        assertTrue(e.getMessage().contains("SIMILARITY_BATCH_SIZE"), e.getMessage());
    }

    @Test
    void autoPicksTheLargestBatchThatFits() {
        EngineOptions auto = new EngineOptions(2, OptionalInt.empty(), false);
        MemoryBudget budget = new MemoryBudget(300L << 20, "test", 100L << 20);
        BehaviorMemoryPlan plan = plan(auto);
        int batch = plan.chooseBatch(auto.batchSize(), ITEMS, budget);
        assertTrue(batch > 1 && batch < ITEMS, "batch " + batch);
        assertTrue(plan.withBatch(batch).fits(budget));
        assertFalse(plan.withBatch(batch + 1).fits(budget));
    }

    @Test
    void theLegacyPathPlansTheFullMatrix() {
        MemoryBudget budget = new MemoryBudget(4L << 30, "test", 3L << 30);
        EngineOptions legacy = new EngineOptions(1, OptionalInt.of(1000), true);
        StageException e = assertThrows(StageException.class, () -> plan(legacy).chooseBatch(legacy.batchSize(), ITEMS, budget));
        assertEquals(ExitCode.MEMORY_BUDGET, e.exitCode());
        assertTrue(e.getMessage().contains("USE_LEGACY_SIMILARITY"), e.getMessage());
        plan(new EngineOptions(1, OptionalInt.of(1000), false)).chooseBatch(OptionalInt.of(1000), ITEMS, budget);
    }
}
