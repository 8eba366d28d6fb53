package dev.recstage.core.memory;

import java.util.OptionalInt;
import java.util.function.IntFunction;

/**
 * The rows per block a similarity run uses, checked against the memory budget before anything
 * is allocated: the requested batch size, or with {@code auto} the largest that fits.
 */
public final class BatchSizeChoice {
    private BatchSizeChoice() {
    }

    /**
     * @param requested rows per block; empty means {@code auto}
     * @param maxBatch  the largest block the run can hold (its row count); a larger request is planned at this size
     * @param planFor   what the run holds at its peak with a given batch size
     * @param advice    what to change when even the smallest plan does not fit
     * @return the requested batch size as given, or the largest in [1, maxBatch] that fits
     * @throws dev.recstage.core.cli.StageException exit 4 when the requested batch, or with {@code auto} a batch of one row, does not fit
     */
    public static int choose(OptionalInt requested, int maxBatch, IntFunction<MemoryPlan> planFor, MemoryBudget budget,
                             String advice) {
        int rows = Math.max(1, maxBatch);
        if (requested.isPresent()) {
            planFor.apply(Math.min(requested.getAsInt(), rows))
                    .requireFits(budget, advice + ", or lower SIMILARITY_BATCH_SIZE (or set it to auto)");
            return requested.getAsInt();
        }
        planFor.apply(1).requireFits(budget, advice);
        // Memory grows with the batch size, so the batches that fit are a prefix of [1, rows].
        int fits = 1;
        int tooBig = rows + 1;
        while (tooBig - fits > 1) {
            int middle = (int) (((long) fits + tooBig) >>> 1);
            if (planFor.apply(middle).fits(budget)) {
                fits = middle;
            } else {
                tooBig = middle;
            }
        }
        return fits;
    }
}
