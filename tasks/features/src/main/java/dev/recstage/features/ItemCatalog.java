package dev.recstage.features;

import dev.recstage.core.arrow.Schemas;
import dev.recstage.core.arrow.TableWriter;
import dev.recstage.features.input.Column;
import dev.recstage.features.input.RawRecord;
import dev.recstage.features.input.RecordSource;
import dev.recstage.features.input.Reject;
import dev.recstage.features.input.Timestamps;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampSecTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The items file in two streaming passes: the first reads it and picks, per item id, the row to
 * keep (the newest by create_time; an older row with other content is rejected), spilling the texts
 * of the rows it may keep to a scratch file ({@link ItemSpill}); the second copies the kept rows
 * from the spill to {@code items.arrow} with dense indices in file order. Only one small record per
 * distinct id is held in memory, never the text.
 */
final class ItemCatalog {
    static final String ITEM_ID = "item_id";
    static final String TITLE = "title";
    static final String DESCRIPTION = "description";
    static final String TAGS = "tags";
    static final String CATEGORY = "category";
    static final String CREATE_TIME = "create_time";
    static final List<Column> COLUMNS = List.of(Column.required(ITEM_ID), Column.optional(TITLE),
            Column.optional(DESCRIPTION), Column.optional(TAGS), Column.optional(CATEGORY), Column.optional(CREATE_TIME));
    private static final int C_ID = 0;
    private static final int C_TITLE = 1;
    private static final int C_DESCRIPTION = 2;
    private static final int C_TAGS = 3;
    private static final int C_CATEGORY = 4;
    private static final int C_TIME = 5;
    /** Sentinel for "no create_time": older than any real time. */
    static final long NO_TIME = Long.MIN_VALUE;

    /** The row kept so far for one id. */
    static final class Keep {
        /** Object header, two references and five longs, 8-byte aligned. */
        static final long BYTES = 64;
        String id;
        long line;
        /** The row's number in the spill. */
        long spillRow;
        long time;
        long contentHash;
        String category;
        /** What the row costs as a wide Java row, for the memory log. */
        long wideBytes;
    }

    /**
     * Pass 1's result: id → dense index (the file order of the kept rows) and per-index creation
     * times, which is all the interactions need, so pass 2 can run beside them.
     */
    record Catalog(IdIndex index, long[] createTime, List<Keep> kept, long rowsRead, long identicalDuplicates) {
        int size() {
            return createTime.length;
        }

        /** Heap bytes it holds: the id index, the creation times, and each kept row with its strings (the list's array at 4 bytes a slot, grown by half). */
        long bytes() {
            long rows = 0;
            for (Keep keep : kept) {
                rows += Keep.BYTES + stringBytes(keep.id) + stringBytes(keep.category);
            }
            return index.bytes() + 8L * createTime.length + rows + 6L * kept.size();
        }

        /** A string's object and its array, two bytes a char at most, 8-byte aligned; 0 for null. */
        private static long stringBytes(String s) {
            return s == null ? 0 : 24 + ((16 + 2L * s.length() + 7) & ~7L);
        }
    }

    /** Pass 2's result: the items as wide Java rows would take, and as the narrowed Arrow file takes. */
    record Written(long wideBytes, long narrowBytes) {
    }

    private final Supplier<RecordSource> source;
    private final Path spill;
    private final String tagSeparator;
    private final RejectLog rejects;

    /** @param spill scratch file for the texts between the passes; the second pass deletes it */
    ItemCatalog(Supplier<RecordSource> source, Path spill, String tagSeparator, RejectLog rejects) {
        this.source = source;
        this.spill = spill;
        this.tagSeparator = tagSeparator;
        this.rejects = rejects;
    }

    /** Pass 1: the row to keep per id, and from their file order the dense index. */
    Catalog choose() {
        Map<String, Keep> kept = new HashMap<>();
        long identical = 0;
        Map<String, String> categories = new HashMap<>();
        try (RecordSource items = source.get(); ItemSpill.Writer texts = new ItemSpill.Writer(spill)) {
            RawRecord record;
            while ((record = items.next()) != null) {
                if (record.isRejected()) {
                    rejects.reject(items.fileName(), record.line(), record.reject());
                    continue;
                }
                String[] v = record.values();
                long time;
                try {
                    time = createTime(v);
                } catch (RejectedRow rejected) {
                    rejects.reject(items.fileName(), record.line(), rejected.reject);
                    continue;
                }
                String tags = normalizeTags(v[C_TAGS]);
                long hash = contentHash(v, tags);
                Keep current = kept.get(v[C_ID]);
                if (current == null) {
                    current = new Keep();
                    current.id = v[C_ID];
                    kept.put(v[C_ID], current);
                } else if (current.contentHash == hash) {
                    identical++;
                    if (time < current.time) {
                        continue;
                    }
                } else if (time < current.time) {
                    rejects.reject(items.fileName(), record.line(), conflict(v[C_ID], current.line));
                    continue;
                } else {
                    rejects.reject(items.fileName(), current.line, conflict(v[C_ID], record.line()));
                }
                current.line = record.line();
                current.spillRow = texts.append(v[C_ID], v[C_TITLE], v[C_DESCRIPTION], tags);
                current.time = time;
                current.contentHash = hash;
                current.category = v[C_CATEGORY] == null ? null : categories.computeIfAbsent(v[C_CATEGORY], c -> c);
                current.wideBytes = 8 + javaString(v[C_ID]) + javaString(v[C_TITLE]) + javaString(v[C_DESCRIPTION])
                        + javaString(v[C_TAGS]) + javaString(v[C_CATEGORY]) + 8;
            }
            List<Keep> inFileOrder = kept.values().stream().sorted((a, b) -> Long.compare(a.line, b.line)).toList();
            IdIndex index = new IdIndex();
            long[] createTime = new long[inFileOrder.size()];
            for (Keep keep : inFileOrder) {
                createTime[index.add(keep.id)] = keep.time;
            }
            return new Catalog(index, createTime, inFileOrder, items.rows(), identical);
        }
    }

    private static Reject conflict(String id, long otherLine) {
        return new Reject(Reject.DUPLICATE_ITEM, "item '" + id + "' has other content at line " + otherLine
                + " with a newer or equal create_time; that row is kept");
    }

    /** Why a row of pass 1 cannot be kept. */
    private static final class RejectedRow extends Exception {
        final transient Reject reject;

        RejectedRow(Reject reject) {
            super(reject.reason(), null, false, false);
            this.reject = reject;
        }
    }

    /** The row's create_time in epoch seconds ({@link #NO_TIME} when absent), checking the row on the way. */
    private static long createTime(String[] v) throws RejectedRow {
        if (v[C_ID] == null) {
            throw new RejectedRow(new Reject(Reject.EMPTY_ID, "empty item_id"));
        }
        if (v[C_TIME] == null) {
            return NO_TIME;
        }
        try {
            return Timestamps.parseEpochSeconds(v[C_TIME]);
        } catch (IllegalArgumentException e) {
            throw new RejectedRow(new Reject(Reject.BAD_TIMESTAMP, "create_time " + e.getMessage()));
        }
    }

    private static final int[] CONTENT = {C_TITLE, C_DESCRIPTION, C_TAGS, C_CATEGORY};

    /** Hash of the row's content, with its tags as normalised ({@code tags}). */
    private static long contentHash(String[] v, String tags) {
        long hash = 0xcbf29ce484222325L;
        for (int c : CONTENT) {
            String s = c == C_TAGS ? tags : v[c];
            hash = fnv(hash, s == null ? "\u0000null" : s);
            hash = fnv(hash, "\u0001");
        }
        return hash;
    }

    private static long fnv(long hash, String s) {
        for (int i = 0; i < s.length(); i++) {
            hash ^= s.charAt(i);
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    /**
     * Tags split on the input separator, trimmed, empties dropped, joined with '|'. Runs once per
     * item row, so it splits with indexOf rather than a regex and builds the result in place.
     */
    String normalizeTags(String tags) {
        if (tags == null) {
            return null;
        }
        StringBuilder joined = new StringBuilder(tags.length());
        for (int from = 0; from <= tags.length(); ) {
            int to = tags.indexOf(tagSeparator, from);
            if (to < 0) {
                to = tags.length();
            }
            String tag = tags.substring(from, to);
            if (!tag.isBlank()) {
                joined.append(joined.isEmpty() ? "" : "|").append(tag.trim());
            }
            from = to + tagSeparator.length();
        }
        return joined.isEmpty() ? null : joined.toString();
    }

    /**
     * Pass 2: copies the kept rows, in file order, from the spill to {@code items.arrow}, and
     * deletes the spill. Reads nothing shared but the catalogue and rejects nothing (pass 1 did),
     * so it may run beside other work.
     */
    Written write(Catalog catalog, Path itemsArrow, BufferAllocator allocator) {
        Map<String, Integer> categoryCodes = new LinkedHashMap<>();
        // Kept rows in file order: pass 2 walks this list alongside the spill, no lookup per row.
        List<Keep> inFileOrder = catalog.kept();
        long wide = 0;
        try (ItemSpill.Reader texts = new ItemSpill.Reader(spill);
             VarCharVector categoryStrings = new VarCharVector("category", allocator)) {
            // Dictionary first: the IPC file format writes dictionaries before the batches.
            for (Keep keep : inFileOrder) {
                if (keep.category != null && !categoryCodes.containsKey(keep.category)) {
                    int code = categoryCodes.size();
                    categoryCodes.put(keep.category, code);
                    categoryStrings.setSafe(code, keep.category.getBytes(StandardCharsets.UTF_8));
                }
            }
            categoryStrings.setValueCount(categoryCodes.size());
            ArrowType.Int codeType = Schemas.narrowestInt(Math.max(0, categoryCodes.size() - 1));
            Schema schema = Schemas.items(codeType);
            Dictionary dictionary = new Dictionary(categoryStrings, schema.findField(CATEGORY).getDictionary());
            try (TableWriter out = TableWriter.open(itemsArrow, schema, allocator, dictionary)) {
                IntVector item = out.vector("item", IntVector.class);
                VarCharVector id = out.vector(ITEM_ID, VarCharVector.class);
                VarCharVector title = out.vector(TITLE, VarCharVector.class);
                VarCharVector description = out.vector(DESCRIPTION, VarCharVector.class);
                VarCharVector tags = out.vector(TAGS, VarCharVector.class);
                BaseIntVector category = (BaseIntVector) out.root().getVector(CATEGORY);
                TimeStampSecTZVector time = out.vector(CREATE_TIME, TimeStampSecTZVector.class);
                int row = 0;
                long spillRow = 0;
                for (int nextKept = 0; nextKept < inFileOrder.size(); spillRow++) {
                    texts.next();
                    Keep keep = inFileOrder.get(nextKept);
                    if (spillRow != keep.spillRow) {
                        continue; // a row that a later one of the same id replaced
                    }
                    item.setSafe(row, nextKept++);
                    wide += keep.wideBytes;
                    setText(id, row, texts, ItemSpill.ID);
                    setText(title, row, texts, ItemSpill.TITLE);
                    setText(description, row, texts, ItemSpill.DESCRIPTION);
                    setText(tags, row, texts, ItemSpill.TAGS);
                    if (keep.category == null) {
                        category.setNull(row);
                    } else {
                        category.setWithPossibleTruncate(row, categoryCodes.get(keep.category));
                    }
                    if (keep.time == NO_TIME) {
                        time.setNull(row);
                    } else {
                        time.setSafe(row, keep.time);
                    }
                    if (out.isFull(++row)) {
                        out.writeBatch(row);
                        row = 0;
                    }
                }
                out.writeBatch(row);
            }
        }
        return new Written(wide, sizeOf(itemsArrow));
    }

    private static long sizeOf(Path file) {
        try {
            return java.nio.file.Files.size(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** What a value costs as a Java string in a row of objects: reference, header, UTF-16 chars. */
    static long javaString(String value) {
        return value == null ? 8 : 8 + 40 + 2L * value.length();
    }

    private static void setText(VarCharVector vector, int row, ItemSpill.Reader texts, int field) {
        int length = texts.length(field);
        if (length < 0) {
            vector.setNull(row);
        } else {
            vector.setSafe(row, texts.bytes(field), 0, length);
        }
    }
}
