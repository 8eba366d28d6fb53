package dev.recstage.tools.run;

import dev.recstage.core.arrow.Schemas;
import dev.recstage.core.arrow.TableReader;
import dev.recstage.core.cli.StageException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Every item's id, title and tags (features' items.arrow), held as one string of lines so that an
 * item's text is found by its index and a search is one {@link String#indexOf} pass over a
 * lower-cased copy: at a million items two strings of some 50 million characters, no object per
 * item. Descriptions and the other columns stay in the file (read them with {@link KeyedRows}).
 */
public final class Catalogue {
    /** Found items, best first, and how many items matched in all. */
    public record Found(List<Integer> items, int total) {
    }

    private static final char FIELD = '\t';
    private static final char LINE = '\n';

    /** "\n" then one line per item in index order: {@code id \t title \t tags \n}. */
    private final String text;
    /** {@link #text} lower-cased character by character, so that positions agree. */
    private final String folded;
    /** Where item i's line starts in {@link #text}; one more entry, the end. */
    private final int[] lineStarts;

    private Catalogue(String text, int[] lineStarts) {
        this.text = text;
        this.lineStarts = lineStarts;
        this.folded = fold(text);
    }

    /** Reads {@code items.arrow} of a features directory, batch by batch. */
    public static Catalogue read(Path itemsFile, BufferAllocator allocator) {
        StringBuilder text = new StringBuilder().append(LINE);
        IntList starts = new IntList();
        try (TableReader reader = TableReader.open(itemsFile, Schemas.ITEMS, allocator)) {
            VectorSchemaRoot root = reader.root();
            int expected = 0;
            while (reader.next()) {
                IntVector item = (IntVector) root.getVector("item");
                VarCharVector id = (VarCharVector) root.getVector("item_id");
                VarCharVector title = (VarCharVector) root.getVector("title");
                VarCharVector tags = (VarCharVector) root.getVector("tags");
                for (int r = 0; r < root.getRowCount(); r++, expected++) {
                    if (item.get(r) != expected) {
                        throw StageException.input(itemsFile + ": row " + expected + " has item " + item.get(r)
                                + "; items.arrow must list the items in index order (rerun features)");
                    }
                    starts.add(text.length());
                    text.append(field(id, r)).append(FIELD).append(field(title, r)).append(FIELD).append(field(tags, r)).append(LINE);
                }
            }
        }
        starts.add(text.length());
        return new Catalogue(text.toString(), starts.toArray());
    }

    /** The cell as one field of a line: null as empty, tabs and line breaks as spaces. */
    private static String field(VarCharVector column, int row) {
        if (column == null || column.isNull(row)) {
            return "";
        }
        String value = new String(column.get(row), StandardCharsets.UTF_8);
        return value.replace(FIELD, ' ').replace(LINE, ' ').replace('\r', ' ');
    }

    public int size() {
        return lineStarts.length - 1;
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
        int start = lineStarts[item];
        for (int f = 0; f < index; f++) {
            start = text.indexOf(FIELD, start) + 1;
        }
        int end = text.indexOf(index < 2 ? FIELD : LINE, start);
        return text.substring(start, end);
    }

    /** The index of the item with exactly this id. */
    public OptionalInt indexOf(String id) {
        if (id.isEmpty() || id.indexOf(FIELD) >= 0 || id.indexOf(LINE) >= 0) {
            return OptionalInt.empty();
        }
        int at = text.indexOf(LINE + id + FIELD);
        return at < 0 ? OptionalInt.empty() : OptionalInt.of(itemAt(at + 1));
    }

    /**
     * Items whose id or title contains {@code query}, ignoring case: the item with exactly that id
     * first, then the others in index order, at most {@code limit} of them.
     */
    public Found search(String query, int limit) {
        String needle = query.strip().replace(FIELD, ' ').replace(LINE, ' ');
        if (needle.isEmpty()) {
            return new Found(List.of(), 0);
        }
        List<Integer> items = new ArrayList<>();
        OptionalInt exact = indexOf(needle);
        exact.ifPresent(items::add);
        int total = exact.isPresent() ? 1 : 0;
        String lower = fold(needle);
        int from = 0;
        while (true) {
            int at = folded.indexOf(lower, from);
            if (at < 0) {
                break;
            }
            int item = itemAt(at);
            int titleEnd = text.indexOf(FIELD, text.indexOf(FIELD, lineStarts[item]) + 1);
            if (at + lower.length() <= titleEnd && (exact.isEmpty() || exact.getAsInt() != item)) {
                total++;
                if (items.size() < limit) {
                    items.add(item);
                }
                from = lineStarts[item + 1];
            } else {
                from = at + 1;
            }
        }
        return new Found(items, total);
    }

    /** Lower case character by character, so that positions in the folded text are those of the original. */
    private static String fold(String value) {
        char[] lower = value.toCharArray();
        for (int i = 0; i < lower.length; i++) {
            lower[i] = Character.toLowerCase(lower[i]);
        }
        return new String(lower);
    }

    /** The item whose line holds position {@code at} of the text. */
    private int itemAt(int at) {
        int low = 0;
        int high = size() - 1;
        while (low < high) {
            int middle = (low + high + 1) >>> 1;
            if (lineStarts[middle] <= at) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return low;
    }

    /** A growable int array (a million boxed Integers would be most of the catalogue's memory). */
    private static final class IntList {
        private int[] values = new int[1024];
        private int size;

        void add(int value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
