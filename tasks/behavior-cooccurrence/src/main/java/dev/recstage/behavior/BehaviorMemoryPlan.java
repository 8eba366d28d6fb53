package dev.recstage.behavior;

import dev.recstage.core.arrow.TableWriter;
import dev.recstage.core.config.EngineOptions;
import dev.recstage.core.engine.DenseReference;
import dev.recstage.core.engine.EnginePlan;
import dev.recstage.core.memory.BatchSizeChoice;
import dev.recstage.core.memory.MemoryBudget;
import dev.recstage.core.memory.MemoryPlan;
import java.util.OptionalInt;

/**
 * What a run holds at its peak, from the exact row counts of the first pass, before the matrix
 * is allocated: so that a run that cannot fit ends with exit 4 and advice, and {@code auto}
 * picks the largest block that fits.
 */
final class BehaviorMemoryPlan {
    static final String ADVICE = "lower --threads or BEHAVIOR_MAX_ITEMS_PER_USER, "
            + "or raise the memory limit (BEHAVIOR_COOCCURRENCE_MEMORY_LIMIT)";
    /** Bytes per row of one Arrow record batch being read or written (ids, codes, weights, times, validity). */
    private static final long ARROW_ROW_BYTES = 32;

    private final EnginePlan engine;
    private final long items;
    private final long nnz;
    private final boolean normalizes;
    private final boolean legacy;
    private final long itemIdBytes;

    /**
     * @param itemIdBytes off-heap bytes of the item ids as allocated, held as the neighbours file's dictionary
     */
    BehaviorMemoryPlan(InteractionMatrixBuilder.RowCounts counts, int items, int users, BehaviorSettings settings,
                       EngineOptions options, long itemIdBytes) {
        this.engine = new EnginePlan(items, users, counts.nnz(), counts.maxRowNnz(), options.threads(),
                settings.topK(), settings.metric().scorer(settings.minCooccurrence()).needsCommon());
        this.items = items;
        this.nnz = counts.nnz();
        this.normalizes = settings.metric().normalizesRows();
        this.legacy = options.legacy();
        this.itemIdBytes = itemIdBytes;
    }

    MemoryPlan withBatch(int batch) {
        MemoryPlan plan = new MemoryPlan()
                .heap("history reduction", 12L * items)
                .heap("matrix and transpose", engine.matrixBytes());
        if (normalizes) {
            plan.heap("normalised values", 4L * nnz);
        }
        if (legacy) {
            plan.heap("full N×N scores (USE_LEGACY_SIMILARITY)", DenseReference.bytesNeeded((int) items) + 20L * items);
        } else {
            plan.heap("engine workspace", engine.workspaceBytes());
        }
        return plan.heap("result blocks", engine.blockBytes(batch))
                .offHeap("item ids", itemIdBytes)
                .offHeap("Arrow batches", 2L * TableWriter.BATCH_ROWS * ARROW_ROW_BYTES);
    }

    /**
     * The requested batch size (empty: {@code auto}, the largest that fits) for a range of
     * {@code rows} rows, the most the engine holds in one block; exit 4 when it does not fit.
     */
    int chooseBatch(OptionalInt requested, int rows, MemoryBudget budget) {
        return BatchSizeChoice.choose(requested, rows, this::withBatch, budget, ADVICE);
    }
}
