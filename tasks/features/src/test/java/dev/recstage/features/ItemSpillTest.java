package dev.recstage.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spill gives back every field as written: nulls, empty and multi-byte texts, rows longer than its buffers. */
class ItemSpillTest {

    @Test
    void rowsComeBackInOrderAndTheFileIsGoneAfterwards(@TempDir Path dir) {
        Path file = dir.resolve(".items.spill");
        Random random = new Random(7);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"i1", null, "", "a|b"});
        rows.add(new String[] {"i2", "数据集 über Ärzte", "x".repeat(5_000), null});
        for (int r = 0; r < 200; r++) {
            rows.add(new String[] {"id" + r, text(random), text(random), random.nextBoolean() ? null : text(random)});
        }
        try (ItemSpill.Writer writer = new ItemSpill.Writer(file)) {
            for (int r = 0; r < rows.size(); r++) {
                String[] v = rows.get(r);
                assertEquals(r, writer.append(v[ItemSpill.ID], v[ItemSpill.TITLE], v[ItemSpill.DESCRIPTION], v[ItemSpill.TAGS]));
            }
        }
        try (ItemSpill.Reader reader = new ItemSpill.Reader(file)) {
            for (String[] expected : rows) {
                reader.next();
                for (int f = 0; f < ItemSpill.FIELDS; f++) {
                    assertEquals(expected[f], field(reader, f));
                }
            }
        }
        assertFalse(file.toFile().exists(), "the reader deletes the spill when closed");
    }

    private static String field(ItemSpill.Reader reader, int f) {
        int length = reader.length(f);
        return length < 0 ? null : new String(reader.bytes(f), 0, length, StandardCharsets.UTF_8);
    }

    /** Up to 600 characters, ASCII and CJK mixed, so that some rows outgrow the reader's buffers. */
    private static String text(Random random) {
        StringBuilder text = new StringBuilder();
        for (int n = random.nextInt(600); n > 0; n--) {
            text.append(random.nextInt(4) == 0 ? (char) (0x4e00 + random.nextInt(500)) : (char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }

    @Test
    void aNullFieldIsNotAnEmptyOne(@TempDir Path dir) {
        Path file = dir.resolve("spill");
        try (ItemSpill.Writer writer = new ItemSpill.Writer(file)) {
            writer.append("i", null, "", null);
        }
        try (ItemSpill.Reader reader = new ItemSpill.Reader(file)) {
            reader.next();
            assertNull(field(reader, ItemSpill.TITLE));
            assertEquals("", field(reader, ItemSpill.DESCRIPTION));
        }
    }
}
