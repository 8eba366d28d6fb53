package dev.recstage.content.incremental;

import dev.recstage.core.arrow.Schemas;
import dev.recstage.core.arrow.TableReader;
import dev.recstage.core.arrow.TableWriter;
import dev.recstage.core.features.FeaturesInput;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * {@code item_text_hashes.arrow}: per item, in item-index order, its id and a hash of the text the
 * content stage read ({@code CONTENT_FIELDS}, each field's presence and bytes): what a later
 * incremental run compares to tell unchanged items from changed ones. The hash is the first 8 bytes
 * of SHA-256 (a collision among a million items has odds of about 1 in 10^13 per run).
 */
public final class ItemTextHashes {
    public static final String FILE_NAME = "item_text_hashes.arrow";
    public static final String TABLE = "item_text_hashes";

    /** Ids and hashes in item-index order. */
    public record Catalogue(String[] ids, long[] hashes) {
        public int size() {
            return ids.length;
        }
    }

    private ItemTextHashes() {
    }

    static Schema schema() {
        return Schemas.table(TABLE, List.of(Schemas.required("item_id", Schemas.UTF8), Schemas.required("text_hash", Schemas.INT64)));
    }

    /** The hashes of the features' items over {@code fields}, in item-index order. */
    public static long[] compute(FeaturesInput features, List<String> fields, BufferAllocator allocator) {
        long[] hashes = new long[features.itemCount()];
        MessageDigest digest = sha256();
        features.forEachItemText(fields, allocator, (item, values) -> hashes[item] = hash(digest, values));
        return hashes;
    }

    static long hash(MessageDigest digest, String[] values) {
        digest.reset();
        for (String value : values) {
            if (value == null) {
                digest.update((byte) 0);
            } else {
                byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                digest.update((byte) 1);
                digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
                digest.update(bytes);
            }
        }
        return ByteBuffer.wrap(digest.digest()).getLong();
    }

    /** Heap of {@link #compute}'s hashes. */
    public static long heapBytes(long items) {
        return 16 + 8 * items;
    }

    /** An upper bound of the file's size for a stage's DiskPlan: {@code idBytes} is the total length of the item ids. */
    public static long estimatedBytes(int items, long idBytes) {
        long idBytesPerRow = items == 0 ? 0 : (idBytes + items - 1) / items;
        return TableWriter.estimatedBytes(items, Long.BYTES + Integer.BYTES + idBytesPerRow, 2);
    }

    public static long write(Path file, VarCharVector itemIds, long[] hashes, BufferAllocator allocator) {
        try (TableWriter table = TableWriter.open(file, schema(), allocator)) {
            VarCharVector ids = table.vector("item_id", VarCharVector.class);
            BigIntVector values = table.vector("text_hash", BigIntVector.class);
            int pending = 0;
            for (int i = 0; i < hashes.length; i++) {
                ids.setSafe(pending, itemIds.get(i));
                values.setSafe(pending, hashes[i]);
                if (table.isFull(++pending)) {
                    table.writeBatch(pending);
                    pending = 0;
                }
            }
            if (pending > 0 || table.rows() == 0) {
                table.writeBatch(pending);
            }
            return table.rows();
        }
    }

    public static Catalogue read(Path file, BufferAllocator allocator) {
        try (TableReader reader = TableReader.open(file, TABLE, allocator)) {
            int rows = 0;
            String[] ids = new String[1024];
            long[] hashes = new long[1024];
            while (reader.next()) {
                VarCharVector idColumn = reader.vector("item_id", VarCharVector.class);
                BigIntVector hashColumn = reader.vector("text_hash", BigIntVector.class);
                int count = reader.root().getRowCount();
                if (rows + count > ids.length) {
                    int capacity = Math.max(rows + count, ids.length * 2);
                    ids = Arrays.copyOf(ids, capacity);
                    hashes = Arrays.copyOf(hashes, capacity);
                }
                for (int r = 0; r < count; r++) {
                    ids[rows] = new String(idColumn.get(r), StandardCharsets.UTF_8);
                    hashes[rows++] = hashColumn.get(r);
                }
            }
            return new Catalogue(Arrays.copyOf(ids, rows), Arrays.copyOf(hashes, rows));
        }
    }

    /** Ids of an item-id vector as strings. */
    public static String[] ids(VarCharVector itemIds) {
        String[] ids = new String[itemIds.getValueCount()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = new String(itemIds.get(i), StandardCharsets.UTF_8);
        }
        return ids;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
