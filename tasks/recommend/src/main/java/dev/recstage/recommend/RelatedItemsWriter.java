package dev.recstage.recommend;

import dev.recstage.core.arrow.Schemas;
import dev.recstage.core.arrow.TableWriter;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.types.pojo.Schema;

/** Streams {@code related_items.arrow} from lists handed over in item order; holds one record batch at most. */
final class RelatedItemsWriter implements AutoCloseable, RelatedListSink {
    static final String FILE = "related_items.arrow";

    private final TableWriter table;
    private final VarCharVector sourceNames;
    private final IntVector items;
    private final IntVector neighbors;
    private final Float4Vector scores;
    private final SmallIntVector ranks;
    private final TinyIntVector sources;

    private RelatedItemsWriter(TableWriter table, VarCharVector sourceNames) {
        this.table = table;
        this.sourceNames = sourceNames;
        this.items = table.vector("item_id", IntVector.class);
        this.neighbors = table.vector("neighbor_id", IntVector.class);
        this.scores = table.vector("score", Float4Vector.class);
        this.ranks = table.vector("rank", SmallIntVector.class);
        this.sources = table.vector("source", TinyIntVector.class);
    }

    /** An upper bound of the file's size (for the stage's DiskPlan): at most {@code topN} rows per item; {@code idBytes} as {@code itemIds.getBufferSize()}. */
    static long estimatedBytes(int items, int topN, long idBytes) {
        long rows = (long) items * Math.min(topN, Math.max(items - 1, 0));
        // item_id, neighbor_id int32; score float32; rank int16; source int8; a validity bit each (a byte
        // in all); three dictionaries.
        return TableWriter.estimatedBytes(rows, 4 + 4 + 4 + 2 + 1 + 1, 5) + 2 * TableWriter.estimatedBytes(1, idBytes, 1)
                + TableWriter.estimatedBytes(1, CodeNames.MAX_BYTES, 1);
    }

    /** {@code itemIds}: the item id strings in item-index order (the dictionary of both id columns). */
    static RelatedItemsWriter open(Path file, VarCharVector itemIds, BufferAllocator allocator) {
        Schema schema = Schemas.relatedItems();
        VarCharVector sourceNames = CodeNames.vector("source", BlendedRow.SOURCE_NAMES, allocator);
        try {
            return new RelatedItemsWriter(TableWriter.open(file, schema, allocator,
                    new Dictionary(itemIds, schema.findField("item_id").getDictionary()),
                    new Dictionary(itemIds, schema.findField("neighbor_id").getDictionary()),
                    new Dictionary(sourceNames, schema.findField("source").getDictionary())), sourceNames);
        } catch (RuntimeException e) {
            sourceNames.close();
            throw e;
        }
    }

    /** Appends the {@code count} best neighbours of {@code item}, best first. */
    @Override
    public void accept(int item, int[] neighborIndexes, float[] neighborScores, byte[] neighborSources, int count) {
        for (int r = 0; r < count; r++) {
            int row = table.row();
            items.setSafe(row, item);
            neighbors.setSafe(row, neighborIndexes[r]);
            scores.setSafe(row, neighborScores[r]);
            ranks.setSafe(row, r + 1);
            sources.setSafe(row, neighborSources[r]);
            table.endRow();
        }
    }

    long rows() {
        return table.rowsWithPending();
    }

    @Override
    public void close() {
        try {
            table.close();
        } finally {
            sourceNames.close();
        }
    }
}
