package dev.recstage.core.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.core.cli.ExitCode;
import dev.recstage.core.cli.StageException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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

class TableRoundTripTest {
    private static final List<String> EVENTS = List.of("view", "download", "favorite");

    @TempDir
    Path dir;

    private final BufferAllocator allocator = new RootAllocator();

    @AfterEach
    void closeAllocator() {
        allocator.close(); // fails the test if a reader or writer leaked a buffer
    }

    private VarCharVector strings(String name, List<String> values) {
        VarCharVector vector = new VarCharVector(name, allocator);
        for (int i = 0; i < values.size(); i++) {
            vector.setSafe(i, values.get(i).getBytes(StandardCharsets.UTF_8));
        }
        vector.setValueCount(values.size());
        return vector;
    }

    /** user = row / 7, item = row % 11, event = row % 3, weight = row / 2, ts = 1.7e9 + row: rows beyond one batch. */
    private Path writeInteractions(int rows, Schema schema) {
        Path file = dir.resolve("interactions.arrow");
        try (VarCharVector events = strings("event", EVENTS)) {
            Dictionary dictionary = new Dictionary(events, schema.findField("event").getDictionary());
            try (TableWriter writer = TableWriter.open(file, schema, allocator, dictionary)) {
                IntVector user = writer.vector("user", IntVector.class);
                IntVector item = writer.vector("item", IntVector.class);
                TinyIntVector event = writer.vector("event", TinyIntVector.class);
                Float4Vector weight = writer.vector("weight", Float4Vector.class);
                TimeStampSecTZVector ts = writer.vector("ts", TimeStampSecTZVector.class);
                int pending = 0;
                for (int row = 0; row < rows; row++) {
                    user.setSafe(pending, row / 7);
                    item.setSafe(pending, row % 11);
                    event.setSafe(pending, row % 3);
                    weight.setSafe(pending, row / 2f);
                    ts.setSafe(pending, 1_700_000_000L + row);
                    if (++pending == TableWriter.BATCH_ROWS) {
                        writer.writeBatch(pending);
                        pending = 0;
                    }
                }
                if (pending > 0) {
                    writer.writeBatch(pending);
                }
                assertEquals(rows, writer.rows());
            }
        }
        return file;
    }

    @Test
    void interactionsRoundTripAcrossBatchesWithTheirDictionary() {
        int rows = TableWriter.BATCH_ROWS + 1000;
        Path file = writeInteractions(rows, Schemas.interactions());
        int row = 0;
        int batches = 0;
        try (TableReader reader = TableReader.open(file, Schemas.INTERACTIONS, allocator)) {
            assertEquals(Schemas.interactions().getFields(), reader.schema().getFields());
            while (reader.next()) {
                batches++;
                VarCharVector dictionary = reader.dictionary(Schemas.EVENT_DICTIONARY);
                assertEquals(EVENTS.size(), dictionary.getValueCount());
                IntVector user = reader.vector("user", IntVector.class);
                IntVector item = reader.vector("item", IntVector.class);
                TinyIntVector event = reader.vector("event", TinyIntVector.class);
                Float4Vector weight = reader.vector("weight", Float4Vector.class);
                TimeStampSecTZVector ts = reader.vector("ts", TimeStampSecTZVector.class);
                for (int r = 0; r < reader.root().getRowCount(); r++, row++) {
                    assertEquals(row / 7, user.get(r));
                    assertEquals(row % 11, item.get(r));
                    assertEquals(EVENTS.get(row % 3), new String(dictionary.get(event.get(r)), StandardCharsets.UTF_8));
                    assertEquals(row / 2f, weight.get(r));
                    assertEquals(1_700_000_000L + row, ts.get(r));
                }
            }
        }
        assertEquals(rows, row);
        assertEquals(2, batches);
    }

    @Test
    void itemsRoundTripWithNullsAndCategoryDictionary() {
        Path file = dir.resolve("items.arrow");
        Schema schema = Schemas.items((ArrowType.Int) Schemas.INT8);
        List<String> categories = List.of("Energy", "健康");
        try (VarCharVector dictionaryValues = strings("category", categories)) {
            Dictionary dictionary = new Dictionary(dictionaryValues, schema.findField("category").getDictionary());
            try (TableWriter writer = TableWriter.open(file, schema, allocator, dictionary)) {
                writer.vector("item", IntVector.class).setSafe(0, 0);
                writer.vector("item", IntVector.class).setSafe(1, 1);
                writer.vector("item_id", VarCharVector.class).setSafe(0, "a".getBytes(StandardCharsets.UTF_8));
                writer.vector("item_id", VarCharVector.class).setSafe(1, "b".getBytes(StandardCharsets.UTF_8));
                writer.vector("title", VarCharVector.class).setSafe(0, "标题, \"quoted\"".getBytes(StandardCharsets.UTF_8));
                writer.vector("category", TinyIntVector.class).setSafe(1, 1);
                writer.vector("create_time", TimeStampSecTZVector.class).setSafe(0, 86_400L);
                writer.writeBatch(2);
            }
        }
        try (TableReader reader = TableReader.open(file, Schemas.ITEMS, allocator)) {
            assertTrue(reader.next());
            VarCharVector title = reader.vector("title", VarCharVector.class);
            TinyIntVector category = reader.vector("category", TinyIntVector.class);
            TimeStampSecTZVector created = reader.vector("create_time", TimeStampSecTZVector.class);
            assertEquals("标题, \"quoted\"", new String(title.get(0), StandardCharsets.UTF_8));
            assertTrue(title.isNull(1) && category.isNull(0) && created.isNull(1));
            assertEquals("健康", new String(reader.dictionary(Schemas.CATEGORY_DICTIONARY).get(category.get(1)), StandardCharsets.UTF_8));
            assertEquals(86_400L, created.get(0));
            assertFalse(reader.next());
        }
    }

    @Test
    void embeddingsRoundTrip() {
        Path file = dir.resolve("embeddings.arrow");
        int dimension = 3;
        try (TableWriter writer = TableWriter.open(file, Schemas.embeddings(dimension), allocator)) {
            FixedSizeListVector lists = writer.vector("embedding", FixedSizeListVector.class);
            Float4Vector values = (Float4Vector) lists.getDataVector();
            for (int row = 0; row < 4; row++) {
                writer.vector("item", IntVector.class).setSafe(row, 3 - row);
                lists.setNotNull(row);
                for (int d = 0; d < dimension; d++) {
                    values.setSafe(row * dimension + d, row * 10 + d);
                }
            }
            writer.writeBatch(4);
        }
        try (TableReader reader = TableReader.open(file, Schemas.EMBEDDINGS, allocator)) {
            assertTrue(reader.next());
            FixedSizeListVector lists = reader.vector("embedding", FixedSizeListVector.class);
            assertEquals(dimension, lists.getListSize());
            Float4Vector values = (Float4Vector) lists.getDataVector();
            for (int row = 0; row < 4; row++) {
                assertEquals(3 - row, reader.vector("item", IntVector.class).get(row));
                for (int d = 0; d < dimension; d++) {
                    assertEquals(row * 10 + d, values.get(row * dimension + d));
                }
            }
        }
    }

    @Test
    void otherSchemaVersionIsExitThreeNamingBothVersions() {
        Schema old = new Schema(Schemas.interactions().getFields(),
                Map.of(Schemas.TABLE_KEY, Schemas.INTERACTIONS, Schemas.VERSION_KEY, "0"));
        Path file = writeInteractions(10, old);
        StageException e = assertThrows(StageException.class, () -> TableReader.open(file, Schemas.INTERACTIONS, allocator));
        assertEquals(ExitCode.INPUT_DATA, e.exitCode());
        assertTrue(e.getMessage().contains("schema version 0 found, " + Schemas.VERSION + " expected"), e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }

    @Test
    void otherTableIsExitThree() {
        Path file = writeInteractions(10, Schemas.interactions());
        StageException e = assertThrows(StageException.class, () -> TableReader.open(file, Schemas.ITEMS, allocator));
        assertEquals(ExitCode.INPUT_DATA, e.exitCode());
        assertTrue(e.getMessage().contains("holds table 'interactions', expected 'items'"), e.getMessage());
    }

    @Test
    void fileWithoutRecstageMetadataIsExitThree() {
        Schema bare = new Schema(Schemas.interactions().getFields());
        Path file = writeInteractions(10, bare);
        StageException e = assertThrows(StageException.class, () -> TableReader.open(file, Schemas.INTERACTIONS, allocator));
        assertEquals(ExitCode.INPUT_DATA, e.exitCode());
        assertTrue(e.getMessage().contains("holds table 'null'"), e.getMessage());
    }

    @Test
    void truncatedFilesAreExitThree() throws Exception {
        byte[] whole = Files.readAllBytes(writeInteractions(5000, Schemas.interactions()));
        Path truncated = dir.resolve("truncated.arrow");
        for (int cut : new int[] {0, 5, 6, 8, 100, whole.length / 3, whole.length / 2, whole.length - 11, whole.length - 1}) {
            Files.write(truncated, Arrays.copyOf(whole, cut));
            StageException e = assertThrows(StageException.class, () -> readAll(truncated), "cut at " + cut);
            assertEquals(ExitCode.INPUT_DATA, e.exitCode(), "cut at " + cut);
            assertTrue(e.getMessage().startsWith(truncated.toString()), e.getMessage());
        }
    }

    @Test
    void randomBytesAreExitThree() throws Exception {
        SplittableRandom random = new SplittableRandom(3);
        Path file = dir.resolve("random.arrow");
        for (int trial = 0; trial < 20; trial++) {
            byte[] bytes = new byte[1 + random.nextInt(5000)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) random.nextInt(256);
            }
            if (trial % 2 == 0 && bytes.length > 8) {
                // Arrow's magic at both ends, garbage between: gets past the first check.
                System.arraycopy("ARROW1".getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, 6);
                System.arraycopy("ARROW1".getBytes(StandardCharsets.US_ASCII), 0, bytes, bytes.length - 6, 6);
            }
            Files.write(file, bytes);
            StageException e = assertThrows(StageException.class, () -> readAll(file), "trial " + trial);
            assertEquals(ExitCode.INPUT_DATA, e.exitCode());
        }
    }

    @Test
    void missingFileIsExitThree() {
        Path file = dir.resolve("absent.arrow");
        StageException e = assertThrows(StageException.class, () -> TableReader.open(file, Schemas.ITEMS, allocator));
        assertEquals(ExitCode.INPUT_DATA, e.exitCode());
        assertEquals(file + " does not exist", e.getMessage());
    }

    private void readAll(Path file) {
        try (TableReader reader = TableReader.open(file, Schemas.INTERACTIONS, allocator)) {
            while (reader.next()) {
                // Every batch is loaded: a damaged body fails here if the footer was readable.
            }
        }
    }
}
