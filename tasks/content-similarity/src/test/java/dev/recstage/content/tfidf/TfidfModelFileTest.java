package dev.recstage.content.tfidf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.content.text.FieldWeights;
import dev.recstage.content.text.TextRules;
import dev.recstage.core.arrow.Schemas;
import dev.recstage.core.arrow.TableWriter;
import dev.recstage.core.cli.StageException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The text rules in tfidf_model.arrow: written, read back, absent from older models, refused when unreadable. */
class TfidfModelFileTest {
    @TempDir
    Path work;

    private static final List<String> CONFIGURED = List.of("title", "tags");

    @Test
    void theRulesRoundTripWithTheModel() {
        TextRules rules = new TextRules(FieldWeights.parse("tags:2.5", TextRules.KNOWN_FIELDS), TextRules.StopWords.ENGLISH,
                TextRules.DigitTokens.DROP);
        TfidfModel model = new TfidfModel(new String[] {"godfather", "mafia"}, new int[] {3, 1}, new float[] {1.5f, 2.5f}, 9,
                TfidfParameters.defaults(), rules);
        Path file = work.resolve("model.arrow");
        try (BufferAllocator allocator = new RootAllocator()) {
            TfidfModelFile.write(file, model, allocator);
            assertEquals(model, TfidfModelFile.read(file, CONFIGURED, allocator));
        }
    }

    @Test
    void aModelWrittenBeforeTheRulesWereRecordedReadsAsSklearnEqualOnTheConfiguredFields() {
        Map<String, String> metadata = olderMetadata();
        Path file = writeOne(metadata);
        try (BufferAllocator allocator = new RootAllocator()) {
            TfidfModel model = TfidfModelFile.read(file, CONFIGURED, allocator);
            assertEquals(TextRules.sklearnEqual(CONFIGURED), model.rules());
            assertArrayEquals(new String[] {"godfather"}, model.terms());
        }
    }

    @Test
    void unreadableRulesAreExit3NamingTheFile() {
        Map<String, String> metadata = olderMetadata();
        metadata.put("field_weights", "title:1");
        metadata.put("stop_words", "french");
        metadata.put("digit_tokens", "keep");
        Path file = writeOne(metadata);
        try (BufferAllocator allocator = new RootAllocator()) {
            StageException e = assertThrows(StageException.class, () -> TfidfModelFile.read(file, CONFIGURED, allocator));
            assertEquals(3, e.exitCode());
            assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("stop_words=french"), e.getMessage());
        }
    }

    /** The metadata a model had before the text rules were recorded. */
    private static Map<String, String> olderMetadata() {
        Map<String, String> metadata = new HashMap<>(TfidfParameters.defaults().describe());
        metadata.put(TfidfModelFile.DOCUMENTS_KEY, "4");
        metadata.put(TfidfModelFile.ANALYZER_KEY, TfidfModelFile.ANALYZER);
        return metadata;
    }

    private Path writeOne(Map<String, String> metadata) {
        Path file = work.resolve("older.arrow");
        try (BufferAllocator allocator = new RootAllocator();
             TableWriter table = TableWriter.open(file, Schemas.tfidfModel(metadata), allocator)) {
            table.vector("term", VarCharVector.class).setSafe(0, "godfather".getBytes(StandardCharsets.UTF_8));
            table.vector("df", IntVector.class).setSafe(0, 2);
            table.vector("idf", Float4Vector.class).setSafe(0, 1.5f);
            table.writeBatch(1);
        }
        return file;
    }
}
