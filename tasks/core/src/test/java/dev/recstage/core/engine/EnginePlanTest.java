package dev.recstage.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class EnginePlanTest {

    @Property
    void largestBatchIsTheInverseOfBytes(@ForAll @IntRange(max = 2_000_000) int rows, @ForAll @IntRange(max = 500_000) int cols,
                                         @ForAll @LongRange(max = 100_000_000) long nnz, @ForAll @IntRange(min = 1, max = 16) int threads,
                                         @ForAll @IntRange(min = 1, max = 1000) int k, @ForAll boolean counts,
                                         @ForAll @LongRange(max = 1L << 36) long budget) {
        EnginePlan plan = EnginePlan.estimate(rows, cols, nnz, threads, k, counts);
        int batch = plan.largestBatch(budget);
        if (batch == 0) {
            assertTrue(plan.bytes(1) > budget);
            return;
        }
        assertTrue(plan.bytes(batch) <= budget);
        assertTrue(batch == Math.max(rows, 1) || plan.bytes(batch + 1) > budget, "a larger batch would still fit");
    }

    @Test
    void countsTheMatricesTheScratchAndTheBlock() {
        EnginePlan plan = new EnginePlan(1000, 500, 20_000, 50, 2, 10, false);
        assertEquals(4L * 1001 + 8L * 20_000 + 4L * 501 + 8L * 20_000, plan.matrixBytes());
        assertEquals(2 * (8L * 100 * 10 + 4L * 100 + 8L * 10), plan.blockBytes(100), "two blocks: one emitted, one computed");
        assertEquals(plan.matrixBytes() + plan.workspaceBytes() + plan.blockBytes(100), plan.bytes(100));
        assertTrue(plan.workspaceBytes() >= 2L * 12 * 1000, "a double accumulator and a touched list per thread");
        assertTrue(new EnginePlan(1000, 500, 20_000, 50, 4, 10, false).workspaceBytes() > plan.workspaceBytes());
    }

    @Test
    void theExactPlanUsesTheMatrixShapeAndTheScorer() {
        CsrMatrix a = Dense.toCsr(new float[][] {{1, 0, 2}, {0, 3, 0}}, 3);
        EnginePlan dot = EnginePlan.of(a, 2, 5, PairScorer.dot());
        assertEquals(new EnginePlan(2, 3, 3, 2, 2, 5, false), dot);
        assertTrue(EnginePlan.of(a, 2, 5, PairScorer.count()).countsCommon());
        assertEquals(a.bytes() + a.transpose().bytes(), dot.matrixBytes());
    }

    @Test
    void rejectsInvalidPlans() {
        assertThrows(IllegalArgumentException.class, () -> EnginePlan.estimate(-1, 1, 1, 1, 1, false));
        assertThrows(IllegalArgumentException.class, () -> EnginePlan.estimate(1, 1, 1, 0, 1, false));
        assertThrows(IllegalArgumentException.class, () -> EnginePlan.estimate(1, 1, 1, 1, 0, false));
    }
}
