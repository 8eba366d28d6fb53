package dev.recstage.tools.arrow;

import dev.recstage.core.arrow.NeighborsWriter;
import dev.recstage.core.arrow.Schemas;
import dev.recstage.core.arrow.TableWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampSecTZVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.types.pojo.Schema;

/** Arrow files written with core's writers, and the rows an export of them must give, as strings. */
final class Fixtures {
    /** Epoch seconds of the items' create_time, and their ISO-8601 text. */
    static final long[] TIMES = {1_700_000_000L, 0L, 1_234_567_890L};
    static final List<String> TIME_TEXT = List.of("2023-11-14T22:13:20Z", "1970-01-01T00:00:00Z", "2009-02-13T23:31:30Z");
    static final List<String> CATEGORIES = List.of("Energy", "健康", "Water, \"fresh\"");
    /** Category code of each item; the second has none. */
    static final Integer[] CATEGORY_CODES = {2, null, 1};

    private Fixtures() {
    }

    static String id(int item) {
        return "id-" + item;
    }

    static int neighbor(int item, int rank, int items) {
        return (item + 1 + rank * 7) % items;
    }

    static float score(int item, int rank) {
        return 1f / (rank + 1) + item / 1e4f;
    }

    /** {item_id, neighbor_id, score, rank} of every row, item-major, as an export must print them. */
    static List<List<String>> writeNeighbors(Path file, int items, int perItem) {
        List<List<String>> expected = new ArrayList<>();
        try (BufferAllocator allocator = new RootAllocator(); VarCharVector ids = new VarCharVector("ids", allocator)) {
            for (int i = 0; i < items; i++) {
                ids.setSafe(i, id(i).getBytes(StandardCharsets.UTF_8));
            }
            ids.setValueCount(items);
            int[] neighbors = new int[perItem];
            float[] scores = new float[perItem];
            try (NeighborsWriter writer = NeighborsWriter.open(file, ids, allocator)) {
                for (int i = 0; i < items; i++) {
                    for (int r = 0; r < perItem; r++) {
                        neighbors[r] = neighbor(i, r, items);
                        scores[r] = score(i, r);
                        expected.add(List.of(id(i), id(neighbors[r]), Float.toString(scores[r]), Integer.toString(r + 1)));
                    }
                    writer.accept(i, neighbors, scores, perItem);
                }
            }
        }
        return expected;
    }

    /**
     * Three items (core's items schema, category dictionary-encoded) whose second row has a null
     * title and category; {@code version} goes into the schema metadata.
     */
    static void writeItems(Path file, String version) {
        Schema contract = Schemas.items(Schemas.narrowestInt(CATEGORIES.size()));
        Schema schema = new Schema(contract.getFields(), Map.of(Schemas.TABLE_KEY, Schemas.ITEMS, Schemas.VERSION_KEY, version));
        try (BufferAllocator allocator = new RootAllocator(); VarCharVector categories = new VarCharVector("category", allocator)) {
            for (int c = 0; c < CATEGORIES.size(); c++) {
                categories.setSafe(c, CATEGORIES.get(c).getBytes(StandardCharsets.UTF_8));
            }
            categories.setValueCount(CATEGORIES.size());
            Dictionary dictionary = new Dictionary(categories, schema.findField("category").getDictionary());
            try (TableWriter writer = TableWriter.open(file, schema, allocator, dictionary)) {
                IntVector item = writer.vector("item", IntVector.class);
                VarCharVector itemId = writer.vector("item_id", VarCharVector.class);
                VarCharVector title = writer.vector("title", VarCharVector.class);
                TinyIntVector category = writer.vector("category", TinyIntVector.class);
                TimeStampSecTZVector created = writer.vector("create_time", TimeStampSecTZVector.class);
                for (int r = 0; r < 3; r++) {
                    item.setSafe(r, r);
                    itemId.setSafe(r, id(r).getBytes(StandardCharsets.UTF_8));
                    if (r == 1) {
                        title.setNull(r);
                        category.setNull(r);
                    } else {
                        title.setSafe(r, ("title " + r + "\nline two").getBytes(StandardCharsets.UTF_8));
                        category.setSafe(r, CATEGORY_CODES[r]);
                    }
                    created.setSafe(r, TIMES[r]);
                }
                // description and tags stay unset: null in every row.
                writer.writeBatch(3);
            }
        }
    }

    /** The export of {@link #writeItems}: null where the cell is null. */
    static List<List<String>> items() {
        List<List<String>> rows = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            rows.add(Arrays.asList(Integer.toString(r), id(r), r == 1 ? null : "title " + r + "\nline two", null, null,
                    r == 1 ? null : CATEGORIES.get(CATEGORY_CODES[r]), TIME_TEXT.get(r)));
        }
        return rows;
    }
}
