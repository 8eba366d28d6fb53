package dev.recstage.tools.arrow;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recstage.core.arrow.Schemas;
import dev.recstage.core.cli.StageException;
import dev.recstage.tools.run.Catalogue;
import dev.recstage.tools.run.KeyedRows;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * {@code inspect FILE --item ID}: the rows of one item. A neighbours file (ordered by item, ids
 * coded against a dictionary) is searched by {@link KeyedRows}, which reads a few record batches;
 * any other file is read batch by batch and its rows of that item kept.
 */
final class ItemRows {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final String item;
    private final Optional<Catalogue> catalogue;

    ItemRows(Path file, String item, Optional<Catalogue> catalogue) {
        this.file = file;
        this.item = item;
        this.catalogue = catalogue;
    }

    void print(PrintWriter out, BufferAllocator allocator) {
        List<List<String>> rows = new ArrayList<>();
        List<String> header;
        String how;
        try (IpcFile ipc = IpcFile.open(file, allocator)) {
            Schema schema = ipc.schema();
            header = schema.getFields().stream().map(Field::getName).toList();
            if (sortedNeighbors(schema) && ipc.format().equals("Arrow IPC file")) {
                how = "searched by item";
                dictionaryCode(ipc).ifPresent(code -> search(allocator, code, rows));
            } else {
                how = scan(ipc, rows);
            }
        }
        out.printf("%s: %d rows of item %s (%s)%n", file, rows.size(), item, how);
        if (catalogue.isPresent()) {
            TitleColumns titles = new TitleColumns(catalogue.get(), header);
            TextTable.print(out, titles.header(), rows.stream().map(titles::row).toList());
        } else {
            TextTable.print(out, header, rows);
        }
    }

    /** A stage's neighbours file: ordered by item, whose ids are codes of a dictionary. */
    private static boolean sortedNeighbors(Schema schema) {
        return schema.getCustomMetadata() != null && Schemas.NEIGHBORS.equals(schema.getCustomMetadata().get(Schemas.TABLE_KEY))
                && has(schema, "item_id") && schema.findField("item_id").getDictionary() != null;
    }

    private static boolean has(Schema schema, String column) {
        return schema.getFields().stream().anyMatch(field -> field.getName().equals(column));
    }

    /** The item's code in the item_id dictionary; empty when the file does not know the item. */
    private Optional<Long> dictionaryCode(IpcFile ipc) {
        Dictionary dictionary = ipc.dictionaryMap().get(ipc.schema().findField("item_id").getDictionary().getId());
        if (dictionary == null) {
            return Optional.empty();
        }
        ValueVector ids = dictionary.getVector();
        for (int i = 0; i < ids.getValueCount(); i++) {
            if (item.equals(String.valueOf(Cells.value(ids, i, ipc.dictionaries())))) {
                return Optional.of((long) i);
            }
        }
        return Optional.empty();
    }

    private void search(BufferAllocator allocator, long code, List<List<String>> rows) {
        try (KeyedRows keyed = KeyedRows.open(file, "item_id", allocator)) {
            keyed.visit(code, (batch, row, dictionaries) -> rows.add(cells(batch, row, dictionaries)));
        }
    }

    /** Keeps the rows of the item; returns how they were found. */
    private String scan(IpcFile ipc, List<List<String>> rows) {
        VectorSchemaRoot root = ipc.root();
        Schema schema = ipc.schema();
        boolean byId = has(schema, "item_id");
        OptionalInt index = OptionalInt.empty();
        if (!byId) {
            if (!has(schema, "item")) {
                throw StageException.usage(file + " has no item_id or item column: --item cannot pick rows in it");
            }
            index = indexOfItem();
        }
        while (ipc.next()) {
            for (int r = 0; r < root.getRowCount(); r++) {
                boolean match = byId ? item.equals(String.valueOf(Cells.value(root.getVector("item_id"), r, ipc.dictionaries())))
                        : ((BaseIntVector) root.getVector("item")).getValueAsLong(r) == index.getAsInt();
                if (match) {
                    rows.add(cells(root, r, ipc.dictionaries()));
                }
            }
        }
        return byId || catalogue.isPresent() ? "read whole" : "read whole; " + item + " taken as an index of column item";
    }

    /** For files with the dense {@code item} index only: the index of the item id in --features, or the id itself as an index. */
    private OptionalInt indexOfItem() {
        if (catalogue.isPresent()) {
            OptionalInt index = catalogue.get().indexOf(item);
            if (index.isEmpty()) {
                throw StageException.usage("--item " + item + ": no such item_id in --features");
            }
            return index;
        }
        try {
            return OptionalInt.of(Integer.parseInt(item));
        } catch (NumberFormatException e) {
            throw StageException.usage(file + " identifies items by their index (column item): give --features DIR to find "
                    + item + " by its id, or --item INDEX");
        }
    }

    private static List<String> cells(VectorSchemaRoot batch, int row, DictionaryProvider dictionaries) {
        List<String> cells = new ArrayList<>();
        for (FieldVector column : batch.getFieldVectors()) {
            cells.add(Cells.text(Cells.value(column, row, dictionaries), JSON));
        }
        return cells;
    }
}
