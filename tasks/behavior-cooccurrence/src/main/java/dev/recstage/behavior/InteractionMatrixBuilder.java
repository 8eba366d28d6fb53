package dev.recstage.behavior;

import dev.recstage.core.cli.StageException;
import dev.recstage.core.engine.CsrMatrix;
import dev.recstage.core.features.FeaturesInput;
import dev.recstage.core.history.Aggregation;
import dev.recstage.core.history.EventWeighting;
import dev.recstage.core.history.HistoryScan;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Builds the items × users matrix of aggregated event weights from {@code interactions.arrow} in
 * two streaming passes: {@link #count()} sizes every item row, {@link #fill(RowCounts)} writes
 * the entries into arrays of exactly that size. Memory is O(nnz + items + events of the largest
 * user); no pair or (user, item) map is ever built. Users arrive in ascending order, so each item
 * row receives its users already sorted.
 */
public final class InteractionMatrixBuilder {
    private final FeaturesInput input;
    private final HistoryScan scan;
    private final int itemCount;
    private final int userCount;

    /** Entries per item row and what the history reduction did. */
    public record RowCounts(int[] perItem, long nnz, int maxRowNnz, HistoryScan.Stats stats) {
    }

    InteractionMatrixBuilder(FeaturesInput input, BufferAllocator allocator, EventWeighting weighting,
                             int cap, Aggregation aggregation) {
        this.input = input;
        this.scan = new HistoryScan(input, allocator, weighting, cap, aggregation);
        this.itemCount = input.itemCount();
        this.userCount = input.userCount();
    }

    public int itemCount() {
        return itemCount;
    }

    public int userCount() {
        return userCount;
    }

    /** First pass: the length of every item row. */
    public RowCounts count() {
        int[] perItem = new int[itemCount];
        HistoryScan.Stats stats = scan.run((user, history) -> {
            for (int r = 0; r < history.rowSize(); r++) {
                perItem[history.rowItem(r)]++;
            }
        });
        long nnz = 0;
        int max = 0;
        for (int n : perItem) {
            nnz += n;
            max = Math.max(max, n);
        }
        if (nnz > Integer.MAX_VALUE - 8) {
            throw StageException.memory("the interaction matrix would have " + nnz
                    + " entries, more than one Java array holds; lower BEHAVIOR_MAX_ITEMS_PER_USER");
        }
        return new RowCounts(perItem, nnz, max, stats);
    }

    /** Second pass: the matrix, rows sized by {@code counts} (whose arrays it takes over). */
    public CsrMatrix fill(RowCounts counts) {
        int[] rowPtr = new int[itemCount + 1];
        for (int i = 0; i < itemCount; i++) {
            rowPtr[i + 1] = rowPtr[i] + counts.perItem()[i];
        }
        int[] cursor = counts.perItem(); // reused: from here on the next free position of each row
        System.arraycopy(rowPtr, 0, cursor, 0, itemCount);
        int[] users = new int[(int) counts.nnz()];
        float[] values = new float[(int) counts.nnz()];
        scan.run((user, history) -> {
            for (int r = 0; r < history.rowSize(); r++) {
                int item = history.rowItem(r);
                int position = cursor[item]++;
                if (position >= rowPtr[item + 1]) {
                    throw changedBetweenPasses();
                }
                users[position] = user;
                values[position] = history.rowWeight(r);
            }
        });
        for (int i = 0; i < itemCount; i++) {
            if (cursor[i] != rowPtr[i + 1]) {
                throw changedBetweenPasses();
            }
        }
        return CsrMatrix.of(itemCount, userCount, rowPtr, users, values);
    }

    private StageException changedBetweenPasses() {
        return StageException.input(input.directory().dir().resolve(FeaturesInput.INTERACTIONS_FILE)
                + " changed while it was being read");
    }
}
