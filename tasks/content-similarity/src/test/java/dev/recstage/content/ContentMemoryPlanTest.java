package dev.recstage.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.content.vector.HnswIndex;
import dev.recstage.content.vector.HnswParameters;
import dev.recstage.core.cli.StageException;
import dev.recstage.core.engine.EnginePlan;
import dev.recstage.core.memory.MemoryBudget;
import dev.recstage.core.memory.MemoryPlan;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ContentMemoryPlanTest {
    private static final EnginePlan ENGINE = new EnginePlan(100_000, 50_000, 2_000_000, 60, 2, 200, false);
    private static final long LARGE_HEAP = 32L << 30;

    /** A budget as production makes it at JVM_MAX_RAM_PERCENTAGE=50: a limit twice the max heap. */
    private static MemoryBudget budget(long maxHeap) {
        return new MemoryBudget(2 * maxHeap, "test", maxHeap);
    }

    @Test
    void autoPicksTheLargestBatchThatFits() {
        ContentMemoryPlan plan = new ContentMemoryPlan(ENGINE, 10 << 20, 4 << 20, 1 << 20, 0, false);
        long heap = plan.plan(3000).smallestUsableHeap();
        int batch = plan.chooseBatch(OptionalInt.empty(), budget(heap));
        assertEquals(3000, batch);
        assertTrue(!plan.plan(3001).fits(budget(heap)));
        assertEquals(100_000, plan.chooseBatch(OptionalInt.empty(), budget(LARGE_HEAP)), "capped at the item count");
    }

    @Test
    void aPlanThatCannotFitExitsWith4() {
        ContentMemoryPlan plan = new ContentMemoryPlan(ENGINE, 10 << 20, 4 << 20, 1 << 20, 0, false);
        long smallest = plan.plan(1).smallestUsableHeap();
        StageException e = assertThrows(StageException.class, () -> plan.chooseBatch(OptionalInt.empty(), budget(smallest - 1)));
        assertEquals(4, e.exitCode());
        assertTrue(e.getMessage().contains("raise the memory limit") && e.getMessage().contains("TFIDF_MAX_DF"), e.getMessage());
        assertEquals(4, assertThrows(StageException.class, () -> plan.chooseBatch(OptionalInt.of(5000), budget(plan.plan(4000).smallestUsableHeap())))
                .exitCode());
    }

    @Test
    void withVectorsTheAdviceOffersToSkipThem() {
        ContentMemoryPlan vectors = new ContentMemoryPlan(ENGINE, 10 << 20, 4 << 20, 1 << 20, 64, false);
        StageException e = assertThrows(StageException.class, () -> vectors.chooseBatch(OptionalInt.empty(), budget(vectors.plan(1).smallestUsableHeap() - 1)));
        assertTrue(e.getMessage().contains("USE_FAISS_RECALL=0"), e.getMessage());
    }

    @Test
    void theHnswIndexIsInThePlanAndExits4WithAdviceWhenItCannotFit() {
        HnswParameters defaults = new HnswParameters(16, 100, 400, HnswParameters.SEED);
        ContentMemoryPlan exact = new ContentMemoryPlan(ENGINE, 10 << 20, 4 << 20, 1 << 20, 384, false);
        ContentMemoryPlan hnsw = new ContentMemoryPlan(ENGINE, 10 << 20, 4 << 20, 1 << 20, 384, false, defaults);
        ContentMemoryPlan wide = new ContentMemoryPlan(ENGINE, 10 << 20, 4 << 20, 1 << 20, 384, false, new HnswParameters(64, 100, 400, 42));
        MemoryBudget large = budget(LARGE_HEAP);
        assertTrue(hnsw.plan(1000).describe(large).contains("HNSW graph (M=16)"), hnsw.plan(1000).describe(large));
        long graph = HnswIndex.graphBytes(100_000, 16);
        assertTrue(graph > 100_000L * 2 * 16 * 4, "at least 2·M int neighbours per item on level 0: " + graph);
        assertTrue(planned(wide.plan(1000)) - planned(hnsw.plan(1000)) >= HnswIndex.graphBytes(100_000, 64) - graph);
        // The graph comes on top of what the vectors need in both paths.
        assertTrue(planned(hnsw.plan(1000)) - planned(exact.plan(1000)) >= graph - 2 * (4L * 16 * 100_000 + 12L * 100_000),
                "the index's plan against the exact one (whose per-thread scratch it does not need)");
        StageException e = assertThrows(StageException.class,
                () -> hnsw.chooseBatch(OptionalInt.empty(), budget(hnsw.plan(1).smallestUsableHeap() - 1)));
        assertEquals(4, e.exitCode());
        assertTrue(e.getMessage().contains("VECTOR_HNSW_M") && e.getMessage().contains("USE_FAISS_RECALL=0"), e.getMessage());
    }

    /** All the planned parts, on and off the heap. */
    private static long planned(MemoryPlan plan) {
        return plan.heapBytes() + plan.offHeapBytes();
    }

    @Test
    void theLegacyPathNeedsTheFullMatrix() {
        ContentMemoryPlan legacy = new ContentMemoryPlan(ENGINE, 0, 0, 0, 0, true);
        assertTrue(legacy.plan(1).heapBytes() > 4L * 100_000 * 100_000);
        StageException e = assertThrows(StageException.class, () -> legacy.chooseBatch(OptionalInt.of(1000), budget(4L << 30)));
        assertTrue(e.getMessage().contains("USE_LEGACY_SIMILARITY=0"), e.getMessage());
    }
}
