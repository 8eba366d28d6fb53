package dev.recstage.core.arrow;

import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Streams a neighbours file (DESIGN.md: item_id, neighbor_id, score, rank; ordered by item then
 * rank) from rows handed over in item order; holds one record batch at most.
 */
public final class NeighborsWriter implements AutoCloseable {
    private final TableWriter table;
    private final IntVector items;
    private final IntVector neighbors;
    private final Float4Vector scores;
    private final SmallIntVector ranks;

    private NeighborsWriter(TableWriter table) {
        this.table = table;
        this.items = table.vector("item_id", IntVector.class);
        this.neighbors = table.vector("neighbor_id", IntVector.class);
        this.scores = table.vector("score", Float4Vector.class);
        this.ranks = table.vector("rank", SmallIntVector.class);
    }

    /** Bytes of a row: item and neighbour indexes, score, rank, and their validity bits. */
    private static final long ROW_BYTES = 4 + 4 + 4 + 2 + 1;

    /**
     * An upper bound of the file's size for {@code rows} neighbour rows; {@code idBytes} is the
     * buffer size of the item ids, written twice as the dictionaries of the two id columns.
     */
    public static long estimatedBytes(long rows, long idBytes) {
        return TableWriter.estimatedBytes(rows, ROW_BYTES, 4) + 2 * TableWriter.estimatedBytes(1, idBytes, 1);
    }

    /** {@code itemIds}: the item id strings in item-index order (the dictionary of both id columns). */
    public static NeighborsWriter open(Path file, VarCharVector itemIds, BufferAllocator allocator) {
        Schema schema = Schemas.neighbors();
        Dictionary itemDictionary = new Dictionary(itemIds, schema.findField("item_id").getDictionary());
        Dictionary neighborDictionary = new Dictionary(itemIds, schema.findField("neighbor_id").getDictionary());
        return new NeighborsWriter(TableWriter.open(file, schema, allocator, itemDictionary, neighborDictionary));
    }

    /** Appends the {@code count} best neighbours of {@code item}, best first. */
    public void accept(int item, int[] neighborIndexes, float[] neighborScores, int count) {
        if (count > Short.MAX_VALUE) {
            throw new IllegalArgumentException("rank " + count + " does not fit int16: top-K is limited to " + Short.MAX_VALUE);
        }
        for (int r = 0; r < count; r++) {
            int row = table.row();
            items.setSafe(row, item);
            neighbors.setSafe(row, neighborIndexes[r]);
            scores.setSafe(row, neighborScores[r]);
            ranks.setSafe(row, r + 1);
            table.endRow();
        }
    }

    public long rows() {
        return table.rowsWithPending();
    }

    @Override
    public void close() {
        table.close();
    }
}
