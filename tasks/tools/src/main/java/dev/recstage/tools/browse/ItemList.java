package dev.recstage.tools.browse;

import dev.recstage.core.cli.StageException;
import dev.recstage.tools.arrow.Cells;
import dev.recstage.tools.run.Catalogue;
import dev.recstage.tools.run.KeyedRows;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FloatingPointVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;

/**
 * Ranked items per key from one file of the run: an item's neighbours ({@code item_id →
 * neighbor_id}) or a user's recommendations ({@code user_id → item_id}), with the score, and any
 * other columns (related items' {@code source}, recommendations' {@code because}) as text.
 */
final class ItemList implements AutoCloseable {
    /** One entry: the item's index in the catalogue (-1 when the run's items do not have it), its score, the other columns. */
    record Entry(int rank, int item, String itemId, double score, List<String> extras) {
    }

    record Page(List<Entry> entries, long total) {
    }

    private final String label;
    private final KeyedRows rows;
    private final String itemColumn;
    private final List<String> extraColumns;
    private final Catalogue catalogue;

    private ItemList(String label, KeyedRows rows, String itemColumn, List<String> extraColumns, Catalogue catalogue) {
        this.label = label;
        this.rows = rows;
        this.itemColumn = itemColumn;
        this.extraColumns = extraColumns;
        this.catalogue = catalogue;
    }

    /**
     * Opens {@code file}, sorted by {@code keyColumn}, whose codes are indexes into the {@code keys}
     * keys of the run (its items or users); the listed items are in {@code itemColumn}.
     */
    static ItemList open(String label, Path file, String keyColumn, int keys, String itemColumn, Catalogue catalogue,
            BufferAllocator allocator) {
        KeyedRows rows = KeyedRows.open(file, keyColumn, allocator);
        DictionaryEncoding encoding = rows.schema().findField(keyColumn).getDictionary();
        Dictionary dictionary = encoding == null ? null : rows.dictionaries().lookup(encoding.getId());
        if (dictionary != null && dictionary.getVector().getValueCount() != keys) {
            rows.close();
            throw StageException.input(file + ": its " + keyColumn + " dictionary holds " + dictionary.getVector().getValueCount()
                    + " ids, the run's features " + keys + ": the directories are not of the same run");
        }
        List<String> extras = rows.schema().getFields().stream().map(f -> f.getName())
                .filter(name -> !List.of(keyColumn, itemColumn, "score", "rank").contains(name)).toList();
        return new ItemList(label, rows, itemColumn, extras, catalogue);
    }

    String label() {
        return label;
    }

    Path file() {
        return rows.file();
    }

    List<String> extraColumns() {
        return extraColumns;
    }

    /** The first {@code limit} entries of {@code key} and how many it has. */
    Page top(int key, int limit) {
        List<Entry> entries = new ArrayList<>();
        long total = rows.visit(key, (batch, row, dictionaries) -> {
            if (entries.size() < limit) {
                entries.add(entry(batch, row, dictionaries, entries.size() + 1));
            }
        });
        return new Page(entries, total);
    }

    private Entry entry(VectorSchemaRoot batch, int row, DictionaryProvider dictionaries, int position) {
        FieldVector item = batch.getVector(itemColumn);
        int index = itemIndex(item, row, dictionaries);
        String id = String.valueOf(Cells.value(item, row, dictionaries));
        FieldVector rankColumn = batch.getVector("rank");
        int rank = rankColumn instanceof BaseIntVector ranks ? (int) ranks.getValueAsLong(row) : position;
        double score = ((FloatingPointVector) batch.getVector("score")).getValueAsDouble(row);
        List<String> extras = new ArrayList<>();
        for (String column : extraColumns) {
            Object value = Cells.value(batch.getVector(column), row, dictionaries);
            extras.add(value == null ? "" : value.toString());
        }
        return new Entry(rank, index, id, score, extras);
    }

    /**
     * The catalogue index of the listed item: its code when the column is encoded against the run's
     * item ids (the stages' neighbour files are), else looked up by its id.
     */
    private int itemIndex(ValueVector column, int row, DictionaryProvider dictionaries) {
        if (column.getField().getDictionary() != null) {
            Dictionary dictionary = dictionaries.lookup(column.getField().getDictionary().getId());
            long code = ((BaseIntVector) column).getValueAsLong(row);
            if (dictionary != null && dictionary.getVector().getValueCount() == catalogue.size()
                    && catalogue.id((int) code).equals(String.valueOf(Cells.value(dictionary.getVector(), (int) code, dictionaries)))) {
                return (int) code;
            }
        }
        Object id = Cells.value(column, row, dictionaries);
        return id == null ? -1 : catalogue.indexOf(id.toString()).orElse(-1);
    }

    @Override
    public void close() {
        rows.close();
    }
}
