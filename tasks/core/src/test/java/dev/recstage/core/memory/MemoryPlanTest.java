package dev.recstage.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.core.cli.ExitCode;
import dev.recstage.core.cli.StageException;
import org.junit.jupiter.api.Test;

class MemoryPlanTest {
    private static final long MI = 1L << 20;

    @Test
    void totalsAddTheRuntimeOverhead() {
        MemoryPlan plan = new MemoryPlan().heap("matrix", 100 * MI).offHeap("batches", 50 * MI);
        assertEquals(100 * MI, plan.heapBytes());
        assertEquals(150 * MI + MemoryPlan.RUNTIME_OVERHEAD, plan.totalBytes());
        assertEquals("matrix 100.0 MB heap, batches 50.0 MB off-heap, runtime 96.0 MB (of which heap 8.0 MB); total 246.0 MB", plan.describe());
    }

    @Test
    void fitsWithinBothTheLimitAndTheHeap() {
        MemoryPlan plan = new MemoryPlan().heap("matrix", 100 * MI).offHeap("batches", 50 * MI);
        assertTrue(plan.fits(new MemoryBudget(1024 * MI, "test", 512 * MI)));
        assertFalse(plan.fits(new MemoryBudget(200 * MI, "test", 512 * MI)), "total above the limit");
        assertFalse(plan.fits(new MemoryBudget(1024 * MI, "test", 100 * MI)), "heap part above the heap's usable share");
        plan.requireFits(new MemoryBudget(1024 * MI, "test", 512 * MI), "unused advice");
    }

    @Test
    void requireFitsEndsWithExitFourSayingNeededAvailableAndWhatToDo() {
        MemoryPlan plan = new MemoryPlan().heap("dense N x N matrix", 800 * MI);
        StageException e = assertThrows(StageException.class,
                () -> plan.requireFits(new MemoryBudget(512 * MI, "RECSTAGE_MEMORY_LIMIT", 384 * MI), "lower SIMILARITY_BATCH_SIZE"));
        assertEquals(ExitCode.MEMORY_BUDGET, e.exitCode());
        String message = e.getMessage();
        assertTrue(message.contains("needs 896.0 MB"), message);
        assertTrue(message.contains("heap part 800.0 MB"), message);
        assertTrue(message.contains("memory limit 512.0 MB (RECSTAGE_MEMORY_LIMIT), max heap 384.0 MB"), message);
        assertTrue(message.contains("dense N x N matrix 800.0 MB heap"), message);
        assertTrue(message.endsWith("lower SIMILARITY_BATCH_SIZE"), message);
    }
}
