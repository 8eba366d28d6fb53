package dev.recstage.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.core.cli.ExitCode;
import dev.recstage.core.cli.StageException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryPlanTest {
    private static final long MI = 1L << 20;

    /** A budget as production makes it: the max heap a share of the limit. */
    private static MemoryBudget budget(long limit, long maxHeap) {
        return new MemoryBudget(limit, "RECSTAGE_MEMORY_LIMIT", maxHeap);
    }

    /** The oracle: whether the plan fits, by the rule written out once more from its parts. */
    private static boolean fitsByRule(long heapParts, long offHeapParts, MemoryBudget budget) {
        return heapParts + 8 * MI <= 0.85 * budget.usableHeapBytes()
                && budget.maxHeapBytes() + offHeapParts + 88 * MI <= budget.limitBytes();
    }

    @Test
    void partsAreSummedByKind() {
        MemoryPlan plan = new MemoryPlan().heap("matrix", 100 * MI).offHeap("batches", 50 * MI).heap("block", 2 * MI);
        assertEquals(102 * MI, plan.heapBytes());
        assertEquals(50 * MI, plan.offHeapBytes());
        assertEquals(MemoryPlan.RUNTIME_OVERHEAD, MemoryPlan.RUNTIME_HEAP + MemoryPlan.RUNTIME_NON_HEAP);
        assertEquals(512 * MI + 50 * MI + 88 * MI, plan.residentBytes(512 * MI));
    }

    @Test
    void describeCountsTheWholeMaxHeapAsResident() {
        MemoryPlan plan = new MemoryPlan().heap("matrix", 100 * MI).offHeap("batches", 50 * MI);
        assertEquals("matrix 100.0 MB heap, batches 50.0 MB off-heap, runtime 96.0 MB (of which heap 8.0 MB); "
                + "resident: the whole max heap 512.0 MB + off-heap 50.0 MB + runtime outside the heap 88.0 MB = 650.0 MB",
                plan.describe(budget(1024 * MI, 512 * MI)));
    }

    @Test
    void thePeakIsTheLargestPhaseWithThePartsLiveInEveryPhase() {
        MemoryPlan plan = new MemoryPlan().heap("model", 5 * MI)
                .phase("build", phase -> phase.heap("counted", 100 * MI).heap("matrix", 50 * MI))
                .phase("search", phase -> phase.heap("matrix and transpose", 100 * MI).heap("workspace", 30 * MI))
                .offHeap("ids", 2 * MI);
        assertEquals(5 * MI + 150 * MI, plan.heapBytes(), "build holds 150 MB, search 130 MB; not their sum of 280 MB");
        assertEquals("build", plan.peakPhaseName().orElseThrow());
        assertEquals(2 * MI, plan.offHeapBytes());
        MemoryPlan searchPeaks = new MemoryPlan().heap("model", 5 * MI)
                .phase("build", phase -> phase.heap("counted", 10 * MI))
                .phase("search", phase -> phase.heap("workspace", 30 * MI));
        assertEquals(35 * MI, searchPeaks.heapBytes());
        assertEquals("search", searchPeaks.peakPhaseName().orElseThrow());
        assertTrue(new MemoryPlan().heap("matrix", MI).peakPhaseName().isEmpty());
    }

    /** The same parts, once live all at once and once in two phases: a budget only the phased plan fits. */
    @Test
    void aPhasedPlanFitsWhereThePartsAddedUpDidNot() {
        MemoryPlan additive = new MemoryPlan().heap("counted", 300 * MI).heap("matrix", 300 * MI).heap("workspace", 300 * MI);
        MemoryPlan phased = new MemoryPlan().heap("matrix", 300 * MI)
                .phase("build", phase -> phase.heap("counted", 300 * MI))
                .phase("search", phase -> phase.heap("workspace", 300 * MI));
        MemoryBudget budget = budget(1600 * MI, 800 * MI);
        assertTrue(phased.fits(budget), "608 MB live within 85% of 800 MB");
        assertFalse(additive.fits(budget), "908 MB live is not");
        assertTrue(fitsByRule(600 * MI, 0, budget) && !fitsByRule(900 * MI, 0, budget));
        assertTrue(phased.smallestLimit(budget) < additive.smallestLimit(budget));
    }

    @Test
    void describeListsEveryPhaseAndNamesThePeak() {
        MemoryPlan plan = new MemoryPlan().heap("model", 5 * MI)
                .phase("build", phase -> phase.heap("counted", 100 * MI).heap("matrix", 50 * MI))
                .phase("search", phase -> phase.heap("matrix and transpose", 100 * MI))
                .offHeap("ids", 2 * MI);
        assertEquals("model 5.0 MB heap in every phase, ids 2.0 MB off-heap, "
                + "phase \"build\": counted 100.0 MB heap, matrix 50.0 MB heap = 150.0 MB; "
                + "phase \"search\": matrix and transpose 100.0 MB heap = 100.0 MB; "
                + "peak heap 155.0 MB in phase \"build\"; runtime 96.0 MB (of which heap 8.0 MB); "
                + "resident: the whole max heap 512.0 MB + off-heap 2.0 MB + runtime outside the heap 88.0 MB = 602.0 MB",
                plan.describe(budget(1024 * MI, 512 * MI)));
        String message = assertThrows(StageException.class, () -> plan.requireFits(budget(256 * MI, 128 * MI), "advice")).getMessage();
        assertTrue(message.contains("(heap part 155.0 MB at its peak, in phase \"build\", which needs a max heap of"), message);
        assertTrue(message.contains("phase \"search\": matrix and transpose 100.0 MB heap"), message);
    }

    @Test
    void theHeapRoomIsWhatAPartMayAddAndStillFit() {
        MemoryBudget budget = budget(1024 * MI, 512 * MI);
        MemoryPlan plan = new MemoryPlan().heap("matrix", 100 * MI).offHeap("batches", 50 * MI);
        long room = plan.heapRoom(budget);
        assertTrue(room > 0);
        assertTrue(new MemoryPlan().heap("matrix", 100 * MI).offHeap("batches", 50 * MI).heap("more", room).fits(budget));
        assertFalse(new MemoryPlan().heap("matrix", 100 * MI).offHeap("batches", 50 * MI).heap("more", room + 1).fits(budget));
        assertEquals(0, new MemoryPlan().heap("matrix", 1000 * MI).heapRoom(budget));
        assertEquals(0, new MemoryPlan().offHeap("batches", 1000 * MI).heapRoom(budget), "the resident rule fails whatever the heap");
    }

    @Test
    void fitsWithinBothTheLimitAndTheHeap() {
        MemoryPlan plan = new MemoryPlan().heap("matrix", 100 * MI).offHeap("batches", 50 * MI);
        assertTrue(plan.fits(budget(1024 * MI, 512 * MI)));
        assertFalse(plan.fits(budget(200 * MI, 100 * MI)), "resident above the limit");
        assertFalse(plan.fits(budget(1024 * MI, 100 * MI)), "heap part above the heap's usable share");
        plan.requireFits(budget(1024 * MI, 512 * MI), "unused advice");
    }

    /** The case that was OOM-killed: a 128 MiB container, a 64 MB heap, a first pass live heap that fit its share. */
    @Test
    void theWholeMaxHeapIsCountedNotOnlyItsLivePart() {
        MemoryPlan firstPass = new MemoryPlan().heap("first pass", 30 * MI);
        MemoryBudget container = budget(128 * MI, 64 * MI);
        assertTrue(30 * MI + MemoryPlan.RUNTIME_HEAP <= 0.85 * 64 * MI, "the live heap fits its share");
        assertTrue(30 * MI + MemoryPlan.RUNTIME_OVERHEAD <= 128 * MI, "the old rule's total fits the limit");
        assertFalse(firstPass.fits(container), "64 MB of heap + 88 MB of runtime is more than 128 MiB");
        assertTrue(firstPass.fits(budget(152 * MI, 64 * MI)));
        assertFalse(firstPass.fits(budget(152 * MI - 1, 64 * MI)));
    }

    @Test
    void aHeapAsLargeAsTheLimitLeavesNoRoomOffHeap() {
        MemoryPlan plan = new MemoryPlan().heap("matrix", 10 * MI).offHeap("ids", MI);
        assertFalse(plan.fits(budget(1024 * MI, 1024 * MI)));
        assertFalse(plan.fits(budget(1024 * MI, 1024 * MI - 88 * MI)), "no room for the off-heap part");
        assertTrue(plan.fits(budget(1024 * MI, 1024 * MI - 89 * MI)));
    }

    @Test
    void fitsAgreesWithTheRuleOnAGrid() {
        for (long heap : new long[] {0, 1, 20 * MI, 100 * MI, 400 * MI}) {
            for (long offHeap : new long[] {0, MI, 60 * MI}) {
                MemoryPlan plan = new MemoryPlan().heap("h", heap).offHeap("o", offHeap);
                for (long limit = 64 * MI; limit <= 1200 * MI; limit += 7 * MI + 3) {
                    for (int percent : new int[] {25, 50, 70, 80, 95, 100, 120}) {
                        long maxHeap = limit * percent / 100;
                        for (MemoryBudget budget : List.of(budget(limit, maxHeap), new MemoryBudget(limit, "test", maxHeap, maxHeap - maxHeap / 20))) {
                            assertEquals(fitsByRule(heap, offHeap, budget), plan.fits(budget), heap + " " + offHeap + " " + budget);
                        }
                    }
                }
            }
        }
    }

    @Test
    void aPhasedPlanFitsByTheRuleAppliedToItsLargestPhase() {
        for (long first : new long[] {0, 20 * MI, 400 * MI}) {
            for (long second : new long[] {0, 30 * MI, 300 * MI}) {
                MemoryPlan plan = new MemoryPlan().heap("always", 10 * MI).phase("first", phase -> phase.heap("a", first).heap("b", MI))
                        .phase("second", phase -> phase.heap("c", second)).offHeap("o", 5 * MI);
                long peak = 10 * MI + Math.max(first + MI, second);
                for (long limit = 64 * MI; limit <= 1200 * MI; limit += 13 * MI + 5) {
                    for (int percent : new int[] {25, 50, 80}) {
                        MemoryBudget budget = budget(limit, limit * percent / 100);
                        assertEquals(fitsByRule(peak, 5 * MI, budget), plan.fits(budget), first + " " + second + " " + budget);
                    }
                }
            }
        }
    }

    @Test
    void smallestLimitIsTheFirstThatFitsAtThatHeapShare() {
        for (long heap : new long[] {0, 20 * MI, 100 * MI, 400 * MI}) {
            for (long offHeap : new long[] {0, 3 * MI, 300 * MI}) {
                MemoryPlan plan = new MemoryPlan().heap("h", heap).offHeap("o", offHeap);
                for (int percent : new int[] {25, 50, 80}) {
                    long smallest = plan.smallestLimit(budget(1000 * MI, 10 * MI * percent));
                    assertEquals(0, smallest % MI, "whole MiB");
                    assertTrue(plan.fits(budget(smallest, smallest * percent / 100)), "fits at " + smallest);
                    // As bin/recstage sizes -Xmx (whole MiB, rounded down), and as the JVM then aligns it (up, to 2 MiB).
                    long launcherHeap = smallest / MI * percent / 100 * MI;
                    assertTrue(plan.fits(budget(smallest, launcherHeap)), "fits at " + smallest + " by the launcher");
                    assertTrue(plan.fits(budget(smallest, (launcherHeap + 2 * MI - 1) / (2 * MI) * (2 * MI))), "fits at " + smallest + " aligned");
                    // At most the JVM's 2 MiB heap alignment on either side of the heap, and a MiB of rounding, above the least limit.
                    long below = smallest - 2 * MI * 100 / percent - 2 * MI * 100 / (100 - percent) - MI;
                    assertFalse(plan.fits(budget(below, below * percent / 100)), "less does not fit, at " + percent + "%");
                }
            }
        }
        assertEquals(Long.MAX_VALUE, new MemoryPlan().smallestLimit(budget(100 * MI, 100 * MI)));
    }

    /** What the collector keeps back (a survivor space: 10.5 MB with -Xmn32m) holds no live objects but is resident. */
    @Test
    void theLiveHeapMustFitTheUsableHeapAndTheWholeMaxHeapIsResident() {
        MemoryPlan plan = new MemoryPlan().heap("matrix", 76 * MI);
        MemoryBudget parallel = new MemoryBudget(220 * MI, "test", 110 * MI, 110 * MI - 21 * MI / 2);
        assertTrue(plan.fits(parallel), "84 MB live within 85% of 99.5 MB usable; 110 + 88 within 220");
        assertFalse(plan.fits(new MemoryBudget(220 * MI, "test", 110 * MI, 110 * MI - 23 * MI / 2)), "live heap above 85% of the usable heap");
        assertFalse(plan.fits(new MemoryBudget(197 * MI, "test", 110 * MI, 110 * MI - 21 * MI / 2)), "the whole max heap is resident");
        assertEquals(plan.smallestUsableHeap() + 21 * MI / 2, plan.smallestMaxHeap(parallel));
        assertEquals(220 * MI, plan.smallestLimit(parallel), "109.3 MB in 2 MiB steps, twice");
        assertEquals("memory limit 220.0 MB (test), max heap 110.0 MB (usable 99.5 MB)", parallel.describe());
        // A max heap at its initial size, where the collector keeps back less, is advised with what a larger heap keeps back.
        MemoryBudget initial = new MemoryBudget(128 * MI, "test", 64 * MI, 60 * MI);
        assertEquals(plan.smallestMaxHeap(parallel), plan.smallestMaxHeap(initial));
        assertEquals(220 * MI, plan.smallestLimit(initial));
    }

    @Test
    void requireFitsEndsWithExitFourSayingNeededAvailableAndWhatToDo() {
        MemoryPlan plan = new MemoryPlan().heap("dense N x N matrix", 800 * MI);
        StageException e = assertThrows(StageException.class,
                () -> plan.requireFits(budget(512 * MI, 384 * MI), "lower SIMILARITY_BATCH_SIZE"));
        assertEquals(ExitCode.MEMORY_BUDGET, e.exitCode());
        String message = e.getMessage();
        // (800 + 8) / 0.85 = 950.6 MB of max heap, resident with the runtime's 88 MB outside it.
        assertTrue(message.contains("needs 1038.6 MB (heap part 800.0 MB, which needs a max heap of 950.6 MB)"), message);
        assertTrue(message.contains("memory limit 512.0 MB (RECSTAGE_MEMORY_LIMIT), max heap 384.0 MB"), message);
        assertTrue(message.contains("dense N x N matrix 800.0 MB heap"), message);
        // At 75% heap share: max(952 / 0.75, 88 / 0.25) = 1269.3 (the heap in the JVM's 2 MiB steps), so 1270 MiB; no heap fits 512 MiB.
        assertTrue(message.contains("; it fits under a memory limit of at least 1270Mi with the max heap at 75% of it, as now; "), message);
        assertFalse(message.contains("under this limit"), message);
        assertTrue(message.endsWith("lower SIMILARITY_BATCH_SIZE"), message);
    }

    @Test
    void whenTheLimitIsEnoughTheAdviceGivesTheHeapThatFits() {
        MemoryPlan plan = new MemoryPlan().heap("matrix", 300 * MI).offHeap("ids", 12 * MI);
        // Heap too small: 308 / 0.85 = 362.4 MB, so 364 MiB in the JVM's 2 MiB steps; 36% of 1000 MiB (360 MiB) is short: 37%.
        String tooSmall = assertThrows(StageException.class, () -> plan.requireFits(budget(1000 * MI, 300 * MI), "advice")).getMessage();
        assertTrue(tooSmall.contains("or under this limit with a max heap of 364Mi (RECSTAGE_MAX_HEAP=364Mi, or JVM_MAX_RAM_PERCENTAGE=37); advice"),
                tooSmall);
        assertTrue(plan.fits(budget(1000 * MI, 364 * MI)) && plan.fits(budget(1000 * MI, 370 * MI)) && !plan.fits(budget(1000 * MI, 362 * MI)));
        // Heap too big: 1000 - 12 - 88 leaves 900 MiB, 90%.
        String tooBig = assertThrows(StageException.class, () -> plan.requireFits(budget(1000 * MI, 950 * MI), "advice")).getMessage();
        assertTrue(tooBig.contains("or under this limit with a max heap of 900Mi (RECSTAGE_MAX_HEAP=900Mi, or JVM_MAX_RAM_PERCENTAGE=90); advice"),
                tooBig);
        assertTrue(plan.fits(budget(1000 * MI, 900 * MI)) && !plan.fits(budget(1000 * MI, 900 * MI + 1)));
    }

    @Test
    void aHeapAboveTheLimitGetsNoLimitAtItsShare() {
        MemoryPlan plan = new MemoryPlan().heap("block", MI);
        String message = assertThrows(StageException.class, () -> plan.requireFits(budget(64 * MI, 256 * MI), "advice")).getMessage();
        assertFalse(message.contains("as now"), message);
        assertTrue(message.endsWith("]; advice"), message);
    }
}
