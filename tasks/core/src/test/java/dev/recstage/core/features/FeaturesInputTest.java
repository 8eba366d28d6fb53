package dev.recstage.core.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.core.arrow.Schemas;
import dev.recstage.core.arrow.TableWriter;
import dev.recstage.core.cli.ExitCode;
import dev.recstage.core.cli.StageException;
import dev.recstage.core.io.Manifest;
import dev.recstage.core.io.OutputDirectory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampSecTZVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeaturesInputTest {
    private static final List<String> IDS = List.of("m1", "m2", "m3");
    private static final List<String> CATEGORIES = List.of("Drama", "喜剧");
    private static final List<String> EVENTS = List.of("view", "download");

    @TempDir
    Path parent;

    private final BufferAllocator allocator = new RootAllocator();

    @AfterEach
    void closeAllocator() {
        allocator.close();
    }

    private VarCharVector strings(List<String> values) {
        VarCharVector vector = new VarCharVector("strings", allocator);
        for (int i = 0; i < values.size(); i++) {
            vector.setSafe(i, values.get(i).getBytes(StandardCharsets.UTF_8));
        }
        vector.setValueCount(values.size());
        return vector;
    }

    /** A features output of three items, four interactions and embeddings for items 2 and 0 only. */
    private Path fixture(boolean withRowCounts) {
        Path target = parent.resolve("features");
        try (OutputDirectory out = OutputDirectory.create(target)) {
            Manifest manifest = new Manifest();
            manifest.stage = FeaturesInput.STAGE;
            manifest.stats.put(FeaturesInput.AS_OF, "2025-01-01T00:00:00Z");

            Schema items = Schemas.items((ArrowType.Int) Schemas.INT8);
            try (VarCharVector categories = strings(CATEGORIES);
                 TableWriter writer = TableWriter.open(out.file(FeaturesInput.ITEMS_FILE), items, allocator,
                         new Dictionary(categories, items.findField("category").getDictionary()))) {
                for (int i = 0; i < IDS.size(); i++) {
                    writer.vector("item", IntVector.class).setSafe(i, i);
                    writer.vector("item_id", VarCharVector.class).setSafe(i, IDS.get(i).getBytes(StandardCharsets.UTF_8));
                    writer.vector("title", VarCharVector.class).setSafe(i, ("Title " + i).getBytes(StandardCharsets.UTF_8));
                    if (i != 1) {
                        writer.vector("category", TinyIntVector.class).setSafe(i, i / 2);
                    }
                }
                writer.writeBatch(IDS.size());
            }
            manifest.outputs.add(new Manifest.OutputFile(FeaturesInput.ITEMS_FILE, out.size(FeaturesInput.ITEMS_FILE),
                    withRowCounts ? (long) IDS.size() : null));

            Schema interactions = Schemas.interactions();
            try (VarCharVector events = strings(EVENTS);
                 TableWriter writer = TableWriter.open(out.file(FeaturesInput.INTERACTIONS_FILE), interactions, allocator,
                         new Dictionary(events, interactions.findField("event").getDictionary()))) {
                for (int r = 0; r < 4; r++) {
                    writer.vector("user", IntVector.class).setSafe(r, r / 2);
                    writer.vector("item", IntVector.class).setSafe(r, (r + 1) % 3);
                    writer.vector("event", TinyIntVector.class).setSafe(r, r % 2);
                    writer.vector("weight", Float4Vector.class).setSafe(r, r + 0.5f);
                    writer.vector("ts", TimeStampSecTZVector.class).setSafe(r, 1000L * r);
                }
                writer.writeBatch(4);
            }
            manifest.outputs.add(new Manifest.OutputFile(FeaturesInput.INTERACTIONS_FILE,
                    out.size(FeaturesInput.INTERACTIONS_FILE), 4L));

            try (TableWriter writer = TableWriter.open(out.file(FeaturesInput.EMBEDDINGS_FILE), Schemas.embeddings(2), allocator)) {
                FixedSizeListVector lists = writer.vector("embedding", FixedSizeListVector.class);
                Float4Vector values = (Float4Vector) lists.getDataVector();
                int[] itemsWithVectors = {2, 0};
                for (int r = 0; r < itemsWithVectors.length; r++) {
                    writer.vector("item", IntVector.class).setSafe(r, itemsWithVectors[r]);
                    lists.setNotNull(r);
                    values.setSafe(2 * r, itemsWithVectors[r] + 0.25f);
                    values.setSafe(2 * r + 1, -itemsWithVectors[r]);
                }
                writer.writeBatch(2);
            }
            manifest.outputs.add(new Manifest.OutputFile(FeaturesInput.EMBEDDINGS_FILE, out.size(FeaturesInput.EMBEDDINGS_FILE), 2L));
            out.commit(manifest);
        }
        return target;
    }

    /** The oracle: what the allocator accounts for while the ids are open, not the used bytes (getBufferSize). */
    @Test
    void idBytesAreTheMemoryTheIdsHoldAsAllocated() {
        FeaturesInput input = FeaturesInput.open(fixture(true));
        long held;
        long written;
        try (VarCharVector ids = input.itemIds(allocator)) {
            held = allocator.getAllocatedMemory();
            written = ids.getBufferSize();
            assertTrue(held >= written, held + " " + written);
        }
        assertEquals(0, allocator.getAllocatedMemory());
        assertEquals(new FeaturesInput.IdBytes(written, held), input.itemIdBytes(allocator));
        // Grown by setSafe's doubling, as the ids are read: the allocation, up to twice the used bytes, counts.
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 70_000; i++) {
            many.add("item-" + i);
        }
        try (VarCharVector ids = strings(many)) {
            assertEquals(allocator.getAllocatedMemory(), FeaturesInput.heldBytes(ids));
            assertTrue(FeaturesInput.heldBytes(ids) > ids.getBufferSize(), FeaturesInput.heldBytes(ids) + " " + ids.getBufferSize());
        }
    }

    @Test
    void readsItemsInteractionsAndEmbeddings() {
        FeaturesInput input = FeaturesInput.open(fixture(true));
        assertEquals(3, input.itemCount());
        assertEquals(4, input.interactionCount());
        assertEquals(Instant.parse("2025-01-01T00:00:00Z"), input.asOf());
        try (VarCharVector ids = input.itemIds(allocator)) {
            assertEquals(IDS.size(), ids.getValueCount());
            for (int i = 0; i < IDS.size(); i++) {
                assertEquals(IDS.get(i), new String(ids.get(i), StandardCharsets.UTF_8));
            }
        }
        List<String> texts = new ArrayList<>();
        input.forEachItemText(List.of("title", "category", "tags"), allocator,
                (item, fields) -> texts.add(item + ":" + String.join("/", Arrays.asList(fields))));
        assertEquals(List.of("0:Title 0/Drama/null", "1:Title 1/null/null", "2:Title 2/喜剧/null"), texts);
        assertEquals(EVENTS, input.eventNames(allocator));

        List<String> interactions = new ArrayList<>();
        input.forEachInteractionBatch(allocator, batch -> {
            for (int r = 0; r < batch.rows(); r++) {
                interactions.add(batch.user()[r] + "," + batch.item()[r] + "," + batch.event()[r] + "," + batch.weight()[r] + ","
                        + batch.epochSeconds()[r]);
            }
        });
        assertEquals(List.of("0,1,0,0.5,0", "0,2,1,1.5,1000", "1,0,0,2.5,2000", "1,1,1,3.5,3000"), interactions);

        assertTrue(input.hasEmbeddings());
        FeaturesInput.Embeddings embeddings = input.embeddings(allocator);
        assertEquals(2, embeddings.dimension());
        assertArrayEquals(new float[] {0.25f, 0, 0, 0, 2.25f, -2}, embeddings.values(), "aligned to item; item 1 has none");
    }

    @Test
    void missingRowCountsAndAsOfAreInputErrors() {
        FeaturesInput input = FeaturesInput.open(fixture(false));
        StageException rows = assertThrows(StageException.class, input::itemCount);
        assertEquals(ExitCode.INPUT_DATA, rows.exitCode());
        assertTrue(rows.getMessage().contains("has no row count for items.arrow"), rows.getMessage());
        StageException unlisted = assertThrows(StageException.class, input::userCount);
        assertEquals(ExitCode.INPUT_DATA, unlisted.exitCode());
        assertFalse(input.directory().has(FeaturesInput.USERS_FILE));
    }

    @Test
    void anotherStagesOutputIsRefused() {
        Path dir = parent.resolve("content");
        try (OutputDirectory out = OutputDirectory.create(dir)) {
            Manifest manifest = new Manifest();
            manifest.stage = "content-similarity";
            out.commit(manifest);
        }
        StageException e = assertThrows(StageException.class, () -> FeaturesInput.open(dir));
        assertEquals(ExitCode.INPUT_DATA, e.exitCode());
    }
}
