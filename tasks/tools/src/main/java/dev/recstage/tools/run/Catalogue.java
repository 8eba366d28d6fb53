package dev.recstage.tools.run;

import dev.recstage.core.arrow.Schemas;
import dev.recstage.core.arrow.TableReader;
import dev.recstage.core.cli.StageException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Every item's id, title and tags (features' items.arrow) as UTF-8 lines, one chunk per record
 * batch, beside a lower-cased copy to search: at a million items about 200 MB and no object per
 * item. An item's text is found by its index, a search is one pass over the lower-cased bytes.
 * Descriptions and the other columns stay in the file (read them with {@link KeyedRows}).
 */
public final class Catalogue {
    /** Found items, best first, and how many items matched in all. */
    public record Found(List<Integer> items, int total) {
    }

    private static final byte FIELD = '\t';
    private static final byte LINE = '\n';

    /**
     * The lines {@code id \t title \t tags \n} of consecutive items from {@code first}; line i
     * spans {@code starts[i]} to {@code starts[i + 1]}; the same for the lower-cased lines.
     */
    private record Chunk(int first, byte[] text, int[] starts, byte[] folded, int[] foldedStarts) {
        int items() {
            return starts.length - 1;
        }
    }

    private final Chunk[] chunks;
    private final int size;

    private Catalogue(List<Chunk> chunks) {
        this.chunks = chunks.toArray(Chunk[]::new);
        this.size = chunks.stream().mapToInt(Chunk::items).sum();
    }

    /** Reads {@code items.arrow} of a features directory, batch by batch. */
    public static Catalogue read(Path itemsFile, BufferAllocator allocator) {
        List<Chunk> chunks = new ArrayList<>();
        int expected = 0;
        try (TableReader reader = TableReader.open(itemsFile, Schemas.ITEMS, allocator)) {
            VectorSchemaRoot root = reader.root();
            while (reader.next()) {
                IntVector item = (IntVector) root.getVector("item");
                VarCharVector id = (VarCharVector) root.getVector("item_id");
                VarCharVector title = (VarCharVector) root.getVector("title");
                VarCharVector tags = (VarCharVector) root.getVector("tags");
                int rows = root.getRowCount();
                Lines text = new Lines(rows);
                Lines folded = new Lines(rows);
                for (int r = 0; r < rows; r++) {
                    if (item.get(r) != expected + r) {
                        throw StageException.input(itemsFile + ": row " + (expected + r) + " has item " + item.get(r)
                                + "; items.arrow must list the items in index order (rerun features)");
                    }
                    String line = field(id, r) + '\t' + field(title, r) + '\t' + field(tags, r) + '\n';
                    text.add(line);
                    folded.add(line.toLowerCase(Locale.ROOT));
                }
                if (rows > 0) {
                    chunks.add(new Chunk(expected, text.bytes(), text.starts, folded.bytes(), folded.starts));
                }
                expected += rows;
            }
        }
        return new Catalogue(chunks);
    }

    /** The cell as one field of a line: null as empty, tabs and line breaks as spaces. */
    private static String field(VarCharVector column, int row) {
        if (column == null || column.isNull(row)) {
            return "";
        }
        return new String(column.get(row), StandardCharsets.UTF_8).replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }

    public int size() {
        return size;
    }

    public String id(int item) {
        return field(item, 0);
    }

    /** The title, empty when the item has none. */
    public String title(int item) {
        return field(item, 1);
    }

    /** The tags as in the file ('|'-separated), empty when none. */
    public String tags(int item) {
        return field(item, 2);
    }

    private String field(int item, int index) {
        Chunk chunk = chunkOf(item);
        int line = item - chunk.first();
        int start = chunk.starts()[line];
        for (int f = 0; f < index; f++) {
            start = next(chunk.text(), start, FIELD) + 1;
        }
        int end = index < 2 ? next(chunk.text(), start, FIELD) : chunk.starts()[line + 1] - 1;
        return new String(chunk.text(), start, end - start, StandardCharsets.UTF_8);
    }

    /** The index of the item with exactly this id. */
    public OptionalInt indexOf(String id) {
        if (id.isEmpty() || id.indexOf('\t') >= 0 || id.indexOf('\n') >= 0) {
            return OptionalInt.empty();
        }
        byte[] wanted = (id + '\t').getBytes(StandardCharsets.UTF_8);
        for (Chunk chunk : chunks) {
            for (int line = 0; line < chunk.items(); line++) {
                int start = chunk.starts()[line];
                if (start + wanted.length <= chunk.starts()[line + 1]
                        && Arrays.equals(chunk.text(), start, start + wanted.length, wanted, 0, wanted.length)) {
                    return OptionalInt.of(chunk.first() + line);
                }
            }
        }
        return OptionalInt.empty();
    }

    /**
     * Items whose id or title contains {@code query}, ignoring case: the item with exactly that id
     * first, then the others in index order, at most {@code limit} of them.
     */
    public Found search(String query, int limit) {
        String wanted = query.strip().replace('\t', ' ').replace('\n', ' ');
        if (wanted.isEmpty()) {
            return new Found(List.of(), 0);
        }
        List<Integer> items = new ArrayList<>();
        OptionalInt exact = indexOf(wanted);
        exact.ifPresent(items::add);
        int total = items.size();
        byte[] needle = wanted.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        for (Chunk chunk : chunks) {
            byte[] folded = chunk.folded();
            for (int line = 0; line < chunk.items(); line++) {
                int start = chunk.foldedStarts()[line];
                int titleEnd = next(folded, next(folded, start, FIELD) + 1, FIELD);
                int item = chunk.first() + line;
                if (contains(folded, start, titleEnd, needle) && (exact.isEmpty() || exact.getAsInt() != item)) {
                    total++;
                    if (items.size() < limit) {
                        items.add(item);
                    }
                }
            }
        }
        return new Found(items, total);
    }

    private static boolean contains(byte[] text, int from, int to, byte[] needle) {
        int last = to - needle.length;
        outer:
        for (int at = from; at <= last; at++) {
            if (text[at] != needle[0]) {
                continue;
            }
            for (int k = 1; k < needle.length; k++) {
                if (text[at + k] != needle[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Position of the next {@code b} from {@code from} (a field or line end: every line has both). */
    private static int next(byte[] text, int from, byte b) {
        int at = from;
        while (text[at] != b) {
            at++;
        }
        return at;
    }

    private Chunk chunkOf(int item) {
        if (item < 0 || item >= size) {
            throw new IndexOutOfBoundsException("item " + item + " of " + size);
        }
        int low = 0;
        int high = chunks.length - 1;
        while (low < high) {
            int middle = (low + high + 1) >>> 1;
            if (chunks[middle].first() <= item) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return chunks[low];
    }

    /** One chunk's lines being encoded: UTF-8 bytes and where each line starts. */
    private static final class Lines {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        private final int[] starts;
        private int count;

        Lines(int rows) {
            starts = new int[rows + 1];
        }

        void add(String line) {
            starts[count++] = bytes.size();
            bytes.writeBytes(line.getBytes(StandardCharsets.UTF_8));
            starts[count] = bytes.size();
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }
}
