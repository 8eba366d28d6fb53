package dev.recstage.tools.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.recstage.core.arrow.Schemas;
import dev.recstage.core.arrow.TableWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogueTest {
    /** id, title, tags; titles with line breaks, tabs, markup, CJK, an empty one. */
    private static final String[][] ITEMS = {
            {"1", "Toy Story (1995)", "Animation|Children"},
            {"2", "Jumanji (1995)", "Adventure"},
            {"3114", "Toy Story 2 (1999)", "Animation"},
            {"toy", "A film\nwith\ttabs", "Toy"},
            {"x<1>", "<script>alert(1)</script>", ""},
            {"cjk", "健康 Toy 数据", "健康"},
            {"none", null, null},
    };

    @TempDir
    Path dir;
    private Catalogue catalogue;

    @BeforeEach
    void write() {
        Path file = dir.resolve("items.arrow");
        Schema schema = Schemas.items(Schemas.narrowestInt(1));
        try (BufferAllocator allocator = new RootAllocator(); VarCharVector categories = new VarCharVector("category", allocator)) {
            categories.setValueCount(0);
            Dictionary none = new Dictionary(categories, schema.findField("category").getDictionary());
            try (TableWriter writer = TableWriter.open(file, schema, allocator, none)) {
                IntVector item = writer.vector("item", IntVector.class);
                VarCharVector id = writer.vector("item_id", VarCharVector.class);
                VarCharVector title = writer.vector("title", VarCharVector.class);
                VarCharVector tags = writer.vector("tags", VarCharVector.class);
                // Two record batches, so that lookups and searches cross the catalogue's chunks.
                for (int[] batch : new int[][] {{0, 3}, {3, ITEMS.length}}) {
                    for (int r = batch[0]; r < batch[1]; r++) {
                        int row = r - batch[0];
                        item.setSafe(row, r);
                        id.setSafe(row, ITEMS[r][0].getBytes(StandardCharsets.UTF_8));
                        set(title, row, ITEMS[r][1]);
                        set(tags, row, ITEMS[r][2]);
                    }
                    writer.writeBatch(batch[1] - batch[0]);
                }
            }
            catalogue = Catalogue.read(file, allocator);
        }
    }

    private static void set(VarCharVector vector, int row, String value) {
        if (value == null) {
            vector.setNull(row);
        } else {
            vector.setSafe(row, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void fieldsByIndexWithLineBreaksAndTabsAsSpaces() {
        assertEquals(ITEMS.length, catalogue.size());
        assertEquals("3114", catalogue.id(2));
        assertEquals("Toy Story 2 (1999)", catalogue.title(2));
        assertEquals("Animation|Children", catalogue.tags(0));
        assertEquals("A film with tabs", catalogue.title(3));
        assertEquals("", catalogue.title(6));
        assertEquals("", catalogue.tags(6));
    }

    @Test
    void exactIds() {
        assertEquals(OptionalInt.of(2), catalogue.indexOf("3114"));
        assertEquals(OptionalInt.of(4), catalogue.indexOf("x<1>"));
        assertEquals(OptionalInt.empty(), catalogue.indexOf("311"));
        assertEquals(OptionalInt.empty(), catalogue.indexOf("Toy Story (1995)"));
        assertEquals(OptionalInt.empty(), catalogue.indexOf(""));
    }

    @Test
    void searchMatchesIdsAndTitlesIgnoringCaseNotTags() {
        // Ids and titles containing it in index order; tags do not count; the item whose id is exactly the query (case and all) first.
        assertEquals(new Catalogue.Found(List.of(0, 2, 3, 5), 4), catalogue.search("TOY", 10));
        assertEquals(new Catalogue.Found(List.of(3, 0), 4), catalogue.search("toy", 2));
        assertEquals(new Catalogue.Found(List.of(0, 2), 2), catalogue.search(" toy story ", 10));
        assertEquals(new Catalogue.Found(List.of(4), 1), catalogue.search("<SCRIPT>", 10));
        assertEquals(new Catalogue.Found(List.of(5), 1), catalogue.search("健康", 10), "tags of item 5 hold it too, counted once");
        assertEquals(new Catalogue.Found(List.of(), 0), catalogue.search("Adventure", 10));
        assertEquals(new Catalogue.Found(List.of(), 0), catalogue.search("  ", 10));
    }

    @Test
    void searchAgreesWithAPlainFilter() {
        for (String query : List.of("t", "(1995)", "o", "1", "9)", "a", "Story 2")) {
            String lower = query.toLowerCase();
            List<Integer> expected = new java.util.ArrayList<>();
            for (int i = 0; i < ITEMS.length; i++) {
                String title = ITEMS[i][1] == null ? "" : ITEMS[i][1].replace('\n', ' ').replace('\t', ' ');
                if (!ITEMS[i][0].equals(query) && (ITEMS[i][0].toLowerCase().contains(lower) || title.toLowerCase().contains(lower))) {
                    expected.add(i);
                }
            }
            catalogue.indexOf(query).ifPresent(exact -> expected.add(0, exact));
            assertEquals(new Catalogue.Found(expected, expected.size()), catalogue.search(query, 100), query);
        }
    }
}
