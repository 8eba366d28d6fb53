package dev.recstage.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.content.vector.HnswIndex;
import dev.recstage.content.vector.HnswParameters;
import dev.recstage.content.vector.UnitRows;
import dev.recstage.core.cli.StageException;
import dev.recstage.core.engine.EnginePlan;
import dev.recstage.core.memory.ByteSize;
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

    /** The heap of each phase, written out once more from the run's order (ContentSimilarityRun), each part by its own formula. */
    private static long pass2(EnginePlan engine, long vocabulary, long counted) {
        long matrix = 4 * (engine.rows() + 1) + 8 * engine.nnz();
        long rowScratch = 2 * (16 + 8 * engine.maxRowNnz());
        return vocabulary + counted + matrix + rowScratch;
    }

    private static long transpose(EnginePlan engine) {
        return engine.matrixBytes() + 16 + 4 * engine.cols();
    }

    private static long similarity(EnginePlan engine, int batch) {
        long textHashes = 16 + 8 * engine.rows();
        return engine.matrixBytes() + textHashes + engine.workspaceBytes() + engine.blockBytes(batch);
    }

    @Test
    void thePeakIsTheLargestPhaseNotTheSumOfAllParts() {
        long model = 2 << 20;
        for (long counted : new long[] {0, 4 << 20, 400 << 20}) {
            ContentMemoryPlan plan = new ContentMemoryPlan(ENGINE, model, 10 << 20, counted, 1 << 20, 0, false);
            for (int batch : new int[] {1, 1000, 100_000}) {
                long peak = model + Math.max(pass2(ENGINE, 10 << 20, counted), Math.max(transpose(ENGINE), similarity(ENGINE, batch)));
                MemoryPlan phased = plan.plan(batch);
                assertEquals(peak, phased.heapBytes(), counted + " " + batch);
                long additive = model + (10 << 20) + counted + ENGINE.matrixBytes() + ENGINE.workspaceBytes() + ENGINE.blockBytes(batch);
                assertTrue(phased.heapBytes() < additive, "pass 1's parts and the engine's are not counted together");
            }
        }
        // Which phase peaks follows the data: the similarity with small counts, pass 2 when they are larger than the workspace.
        assertEquals(ContentMemoryPlan.SIMILARITY, new ContentMemoryPlan(ENGINE, model, 10 << 20, 4 << 20, 1 << 20, 0, false)
                .plan(1000).peakPhaseName().orElseThrow());
        assertEquals(ContentMemoryPlan.PASS_2, new ContentMemoryPlan(ENGINE, model, 10 << 20, 400 << 20, 1 << 20, 0, false)
                .plan(1000).peakPhaseName().orElseThrow());
    }

    /**
     * The 1M-item run of the scale bench had pass 1's counted terms (333 MB) and the engine's workspace
     * (309 MB) in one sum, which are never live together: a budget the phased plan fits and the sum did not.
     */
    @Test
    void aBudgetThatFitsThePhasesButNotThePartsAddedUp() {
        ContentMemoryPlan plan = new ContentMemoryPlan(ENGINE, 2 << 20, 10 << 20, 60 << 20, 1 << 20, 0, false);
        MemoryBudget budget = budget(plan.plan(1000).smallestUsableHeap() + (12 << 20));
        assertTrue(plan.plan(1000).fits(budget));
        MemoryPlan additive = new MemoryPlan().heap("model", 2 << 20).heap("vocabulary", 10 << 20).heap("counted", 60 << 20)
                .heap("matrix and transpose", ENGINE.matrixBytes()).heap("workspace", ENGINE.workspaceBytes())
                .heap("block", ENGINE.blockBytes(1000)).offHeap("ids", 1 << 20);
        assertFalse(additive.fits(budget), "the old plan's sum does not fit the budget the phases fit");
        assertEquals(1000, plan.chooseBatch(OptionalInt.of(1000), budget));
    }

    /**
     * The 1M-item catalogue of issue 13's scale bench ({@code bin/recstage generate --items 1000000 --seed 42}, then
     * features), with the figures its run logged (vocabulary 272,609 terms, 43,127,839 non-zeros, K 200 + 20 spares,
     * 2 threads; model 18.1 MB, term table 34.0 MB, counted terms 333.3 MB, item ids 20.0 MB off-heap) and planned
     * with the default SIMILARITY_BATCH_SIZE of 1000 rows. The scale bench run's peak heap was 846 MB (shard 0 of 4, at 80%).
     */
    @Test
    void aMillionItemsFitTwoGibibytesFromA59PercentHeapShare() {
        long mib = 1L << 20;
        EnginePlan engine = new EnginePlan(1_000_000, 272_609, 43_127_839, 250, 2, 220, false);
        MemoryPlan plan = new ContentMemoryPlan(engine, 181 * mib / 10, 34 * mib, 3333 * mib / 10, 20 * mib, 0, false).plan(1000);
        assertEquals(ContentMemoryPlan.SIMILARITY, plan.peakPhaseName().orElseThrow());
        assertEquals(1001.4, plan.heapBytes() / (double) mib, 0.5, "as logged");
        // The collector keeps back a survivor space of 10.5 MB (-Xmn32m) of the max heap, as the run's budget line says.
        MemoryBudget halfHeap = budgetWithSurvivor(2048 * mib, 50);
        assertFalse(plan.fits(halfHeap));
        // The parts above are the log's, rounded to 0.1 MB: within one 2 MiB heap step (4 MiB of limit at 50%) of its advice.
        assertEquals(2400, plan.smallestLimit(halfHeap) / mib, 4, "the run's exit-4 line: at least 2400Mi at 50%");
        assertTrue(plan.fits(budgetWithSurvivor(2048 * mib, 59)), "JVM_MAX_RAM_PERCENTAGE=59, as advised");
        assertFalse(plan.fits(budgetWithSurvivor(2048 * mib, 58)));
        MemoryBudget mostlyHeap = budgetWithSurvivor(2048 * mib, 80);
        assertTrue(plan.fits(mostlyHeap));
        assertEquals(1500, plan.smallestLimit(mostlyHeap) / mib, 3, "at 80%: a 1,200 MiB max heap is 80% of 1,500 MiB");
        // The same parts added up, as the plan did before: more than the README's 3,200 MiB at 50% (which had no model part).
        MemoryPlan additive = new MemoryPlan().heap("all", 181 * mib / 10 + 34 * mib + 3333 * mib / 10 + engine.matrixBytes()
                + engine.workspaceBytes() + engine.blockBytes(1000)).offHeap("ids and batches", 209 * mib / 10);
        assertTrue(additive.smallestLimit(halfHeap) >= 3200 * mib, additive.smallestLimit(halfHeap) / mib + " MiB");
    }

    private static MemoryBudget budgetWithSurvivor(long limit, int percent) {
        long maxHeap = limit * percent / 100;
        return new MemoryBudget(limit, "test", maxHeap, maxHeap - (21L << 20) / 2);
    }

    @Test
    void describeListsEveryPartOfEveryPhaseAndThePeak() {
        ContentMemoryPlan plan = new ContentMemoryPlan(ENGINE, 2 << 20, 10 << 20, 4 << 20, 1 << 20, 0, false);
        String text = plan.plan(1000).describe(budget(LARGE_HEAP));
        for (String part : new String[] {"tf-idf model 2.0 MB heap in every phase", "item ids 1.0 MB off-heap", "writer batches",
                "phase \"tf-idf matrix (pass 2)\": vocabulary and its term columns 10.0 MB heap, counted terms of pass 1 4.0 MB heap, "
                        + "tf-idf matrix and a row's scratch", "phase \"transpose\": tf-idf matrix and transpose", "transpose's column cursors",
                "phase \"similarity\": tf-idf matrix and transpose", "item text hashes 0.8 MB heap", "engine workspace", "block results",
                "peak heap", "in phase \"similarity\"; runtime"}) {
            assertTrue(text.contains(part), part + " in " + text);
        }
    }

    @Test
    void autoPicksTheLargestBatchThatFits() {
        ContentMemoryPlan plan = new ContentMemoryPlan(ENGINE, 2 << 20, 10 << 20, 4 << 20, 1 << 20, 0, false);
        long heap = plan.plan(3000).smallestUsableHeap();
        int batch = plan.chooseBatch(OptionalInt.empty(), budget(heap));
        assertEquals(3000, batch);
        assertTrue(!plan.plan(3001).fits(budget(heap)));
        assertEquals(100_000, plan.chooseBatch(OptionalInt.empty(), budget(LARGE_HEAP)), "capped at the item count");
    }

    @Test
    void aPlanThatCannotFitExitsWith4() {
        ContentMemoryPlan plan = new ContentMemoryPlan(ENGINE, 2 << 20, 10 << 20, 4 << 20, 1 << 20, 0, false);
        long smallest = plan.plan(1).smallestUsableHeap();
        StageException e = assertThrows(StageException.class, () -> plan.chooseBatch(OptionalInt.empty(), budget(smallest - 1)));
        assertEquals(4, e.exitCode());
        assertTrue(e.getMessage().contains("raise the memory limit") && e.getMessage().contains("TFIDF_MAX_DF"), e.getMessage());
        assertEquals(4, assertThrows(StageException.class, () -> plan.chooseBatch(OptionalInt.of(5000), budget(plan.plan(4000).smallestUsableHeap())))
                .exitCode());
    }

    @Test
    void withVectorsTheAdviceOffersToSkipThem() {
        ContentMemoryPlan vectors = new ContentMemoryPlan(ENGINE, 2 << 20, 10 << 20, 4 << 20, 1 << 20, 64, false);
        StageException e = assertThrows(StageException.class, () -> vectors.chooseBatch(OptionalInt.empty(), budget(vectors.plan(1).smallestUsableHeap() - 1)));
        assertTrue(e.getMessage().contains("USE_FAISS_RECALL=0"), e.getMessage());
    }

    @Test
    void theHnswIndexIsInThePlanAndExits4WithAdviceWhenItCannotFit() {
        HnswParameters defaults = new HnswParameters(16, 100, 400, HnswParameters.SEED);
        ContentMemoryPlan exact = new ContentMemoryPlan(ENGINE, 2 << 20, 10 << 20, 4 << 20, 1 << 20, 384, false);
        ContentMemoryPlan hnsw = new ContentMemoryPlan(ENGINE, 2 << 20, 10 << 20, 4 << 20, 1 << 20, 384, false, defaults);
        ContentMemoryPlan wide = new ContentMemoryPlan(ENGINE, 2 << 20, 10 << 20, 4 << 20, 1 << 20, 384, false, new HnswParameters(64, 100, 400, 42));
        MemoryBudget large = budget(LARGE_HEAP);
        assertTrue(hnsw.plan(1000).describe(large).contains("HNSW graph (M=16)"), hnsw.plan(1000).describe(large));
        long graph = HnswIndex.graphBytes(100_000, 16);
        assertTrue(graph > 100_000L * 2 * 16 * 4, "at least 2·M int neighbours per item on level 0: " + graph);
        assertTrue(planned(wide.plan(1000)) - planned(hnsw.plan(1000)) >= HnswIndex.graphBytes(100_000, 64) - graph);
        // The index's phase holds the matrices, the vectors once (normalised in their own array), the
        // graph and the text engine's workspace (each row's text top K); the exact path holds a
        // second copy of the vectors (its panels) instead of the graph.
        long vectorsOnce = UnitRows.bytesFor(100_000, 384);
        assertTrue(planned(hnsw.plan(1000)) >= ENGINE.matrixBytes() + vectorsOnce + graph + ENGINE.workspaceBytes(), hnsw.plan(1000).describe(large));
        assertTrue(hnsw.plan(1000).describe(large).contains("vectors (row-major, normalised in place) " + ByteSize.mb(vectorsOnce)), hnsw.plan(1000).describe(large));
        assertTrue(planned(exact.plan(1000)) - planned(hnsw.plan(1000)) >= vectorsOnce - graph - ENGINE.workspaceBytes(),
                "the exact path's two copies of the vectors against the index's one");
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
        ContentMemoryPlan legacy = new ContentMemoryPlan(ENGINE, 0, 0, 0, 0, 0, true);
        assertTrue(legacy.plan(1).heapBytes() > 4L * 100_000 * 100_000);
        StageException e = assertThrows(StageException.class, () -> legacy.chooseBatch(OptionalInt.of(1000), budget(4L << 30)));
        assertTrue(e.getMessage().contains("USE_LEGACY_SIMILARITY=0"), e.getMessage());
    }
}
