package dev.recstage.core.features;

import dev.recstage.core.arrow.Schemas;
import dev.recstage.core.arrow.TableReader;
import dev.recstage.core.cli.StageException;
import dev.recstage.core.io.InputDirectory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.ReferenceManager;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;

/**
 * A finished {@code features} output read by the downstream stages: item ids, item text,
 * interactions and embeddings, batch by batch, without holding the files in memory.
 */
public final class FeaturesInput {
    public static final String STAGE = "features";
    public static final String ITEMS_FILE = "items.arrow";
    public static final String USERS_FILE = "users.arrow";
    public static final String INTERACTIONS_FILE = "interactions.arrow";
    public static final String ITEM_FEATURES_FILE = "item_features.arrow";
    public static final String EMBEDDINGS_FILE = "embeddings.arrow";
    /** Key in the manifest's stats: the as-of time of the features, ISO-8601. */
    public static final String AS_OF = "as_of";

    /** One batch of interactions: parallel arrays, valid up to {@code rows}. */
    public record InteractionBatch(int rows, int[] user, int[] item, byte[] event, float[] weight, long[] epochSeconds) {
    }

    /** Receives each item's index and the text of the requested fields (null where absent). */
    @FunctionalInterface
    public interface ItemTextConsumer {
        void accept(int item, String[] fields);
    }

    @FunctionalInterface
    public interface InteractionBatchConsumer {
        void accept(InteractionBatch batch);
    }

    private final InputDirectory dir;

    private FeaturesInput(InputDirectory dir) {
        this.dir = dir;
    }

    /** Exit 3 unless {@code path} is a complete features output. */
    public static FeaturesInput open(Path path) {
        return new FeaturesInput(InputDirectory.open(path, STAGE));
    }

    public InputDirectory directory() {
        return dir;
    }

    public int itemCount() {
        return Math.toIntExact(rows(ITEMS_FILE));
    }

    public long interactionCount() {
        return rows(INTERACTIONS_FILE);
    }

    public int userCount() {
        return Math.toIntExact(rows(USERS_FILE));
    }

    private long rows(String file) {
        Long rows = dir.manifest().output(file) == null ? null : dir.manifest().output(file).rows();
        if (rows == null) {
            throw StageException.input(dir.dir().resolve("manifest.json") + " has no row count for " + file);
        }
        return rows;
    }

    /** The as-of time the features were computed for (their latest interaction unless set). */
    public Instant asOf() {
        Object value = dir.manifest().stats.get(AS_OF);
        if (value == null) {
            throw StageException.input(dir.dir().resolve("manifest.json") + " has no stats." + AS_OF);
        }
        return Instant.parse(value.toString());
    }

    /** All item ids in item-index order, as one vector (the dictionary of neighbour files). Caller closes. */
    public VarCharVector itemIds(BufferAllocator allocator) {
        return ids(ITEMS_FILE, Schemas.ITEMS, "item_id", allocator);
    }

    /** All user ids in user-index order, as one vector. Caller closes. */
    public VarCharVector userIds(BufferAllocator allocator) {
        return ids(USERS_FILE, Schemas.USERS, "user_id", allocator);
    }

    /**
     * The sizes of an id column, from one read of it.
     *
     * @param written the bytes its buffers use ({@code getBufferSize()}): what a file holding the ids as a dictionary writes
     * @param held    the off-heap bytes they take as allocated ({@link #heldBytes}): what a stage keeping them plans for
     */
    public record IdBytes(long written, long held) {
        static IdBytes of(VarCharVector ids) {
            return new IdBytes(ids.getBufferSize(), heldBytes(ids));
        }
    }

    /** The sizes of the item ids {@link #itemIds} reads. */
    public IdBytes itemIdBytes(BufferAllocator allocator) {
        try (VarCharVector ids = itemIds(allocator)) {
            return IdBytes.of(ids);
        }
    }

    /** The sizes of the user ids {@link #userIds} reads. */
    public IdBytes userIdBytes(BufferAllocator allocator) {
        try (VarCharVector ids = userIds(allocator)) {
            return IdBytes.of(ids);
        }
    }

    /**
     * The off-heap memory a vector's buffers take as allocated: more than its {@code getBufferSize()},
     * since the allocator rounds a buffer up (to a power of two below its chunk size) and
     * {@code setSafe} grows one by doubling. Buffers cut from one allocation (a validity and an
     * offset buffer may be) count it once.
     */
    public static long heldBytes(ValueVector vector) {
        Set<ReferenceManager> allocations = Collections.newSetFromMap(new IdentityHashMap<>());
        long bytes = 0;
        for (ArrowBuf buffer : vector.getBuffers(false)) {
            if (allocations.add(buffer.getReferenceManager())) {
                bytes += buffer.getActualMemoryConsumed();
            }
        }
        return bytes;
    }

    private VarCharVector ids(String file, String table, String column, BufferAllocator allocator) {
        VarCharVector ids = new VarCharVector(column, allocator);
        int row = 0;
        try (TableReader reader = TableReader.open(dir.file(file), table, allocator)) {
            while (reader.next()) {
                VarCharVector batch = reader.vector(column, VarCharVector.class);
                for (int i = 0; i < batch.getValueCount(); i++) {
                    ids.setSafe(row++, batch.get(i));
                }
            }
        } catch (RuntimeException e) {
            ids.close();
            throw e;
        }
        ids.setValueCount(row);
        return ids;
    }

    /**
     * One count column of {@code item_features.arrow} (e.g. {@code users_30d}) by item index;
     * null counts read as 0.
     */
    public long[] itemCounts(String column, BufferAllocator allocator) {
        long[] counts = new long[itemCount()];
        try (TableReader reader = TableReader.open(dir.file(ITEM_FEATURES_FILE), Schemas.ITEM_FEATURES, allocator)) {
            while (reader.next()) {
                IntVector item = reader.vector("item", IntVector.class);
                BaseIntVector values = reader.vector(column, BaseIntVector.class);
                for (int r = 0; r < reader.root().getRowCount(); r++) {
                    int i = item.get(r);
                    if (i < 0 || i >= counts.length) {
                        throw StageException.input(reader.file() + ": item index " + i + " outside [0, " + counts.length + ")");
                    }
                    counts[i] = values.isNull(r) ? 0 : values.getValueAsLong(r);
                }
            }
        }
        return counts;
    }

    /**
     * Streams each item's text fields ({@code title}, {@code description}, {@code tags},
     * {@code category}); {@code category} is decoded from its dictionary.
     */
    public void forEachItemText(List<String> fields, BufferAllocator allocator, ItemTextConsumer consumer) {
        try (TableReader reader = TableReader.open(dir.file(ITEMS_FILE), Schemas.ITEMS, allocator)) {
            String[] values = new String[fields.size()];
            while (reader.next()) {
                IntVector item = reader.vector("item", IntVector.class);
                List<FieldVector> columns = new ArrayList<>();
                for (String field : fields) {
                    columns.add(reader.vector(field, FieldVector.class));
                }
                for (int r = 0; r < reader.root().getRowCount(); r++) {
                    for (int f = 0; f < values.length; f++) {
                        values[f] = text(reader, columns.get(f), r);
                    }
                    consumer.accept(item.get(r), values);
                }
            }
        }
    }

    private static String text(TableReader reader, FieldVector column, int row) {
        if (column.isNull(row)) {
            return null;
        }
        if (column instanceof VarCharVector chars) {
            return new String(chars.get(row), StandardCharsets.UTF_8);
        }
        if (column instanceof BaseIntVector codes && column.getField().getDictionary() != null) {
            VarCharVector dictionary = reader.dictionary(column.getField().getDictionary().getId());
            return new String(dictionary.get((int) codes.getValueAsLong(row)), StandardCharsets.UTF_8);
        }
        throw StageException.input(reader.file() + ": column '" + column.getName() + "' is not text");
    }

    /** The event type names; {@link InteractionBatch#event()} codes index this list. */
    public List<String> eventNames(BufferAllocator allocator) {
        try (TableReader reader = TableReader.open(dir.file(INTERACTIONS_FILE), Schemas.INTERACTIONS, allocator)) {
            reader.next();
            VarCharVector dictionary = reader.dictionary(Schemas.EVENT_DICTIONARY);
            List<String> names = new ArrayList<>();
            for (int i = 0; i < dictionary.getValueCount(); i++) {
                names.add(new String(dictionary.get(i), StandardCharsets.UTF_8));
            }
            return names;
        }
    }

    /** Streams the interactions (sorted by user then time) in batches; the arrays are reused between calls. */
    public void forEachInteractionBatch(BufferAllocator allocator, InteractionBatchConsumer consumer) {
        try (TableReader reader = TableReader.open(dir.file(INTERACTIONS_FILE), Schemas.INTERACTIONS, allocator)) {
            int[] user = new int[0];
            int[] item = new int[0];
            byte[] event = new byte[0];
            float[] weight = new float[0];
            long[] ts = new long[0];
            while (reader.next()) {
                int rows = reader.root().getRowCount();
                if (user.length < rows) {
                    user = new int[rows];
                    item = new int[rows];
                    event = new byte[rows];
                    weight = new float[rows];
                    ts = new long[rows];
                }
                IntVector users = reader.vector("user", IntVector.class);
                IntVector items = reader.vector("item", IntVector.class);
                BaseIntVector events = reader.vector("event", BaseIntVector.class);
                Float4Vector weights = reader.vector("weight", Float4Vector.class);
                TimeStampVector times = reader.vector("ts", TimeStampVector.class);
                for (int r = 0; r < rows; r++) {
                    user[r] = users.get(r);
                    item[r] = items.get(r);
                    event[r] = (byte) events.getValueAsLong(r);
                    weight[r] = weights.get(r);
                    ts[r] = times.get(r);
                }
                consumer.accept(new InteractionBatch(rows, user, item, event, weight, ts));
            }
        }
    }

    public boolean hasEmbeddings() {
        return dir.has(EMBEDDINGS_FILE);
    }

    /** Embeddings as one row-major {@code float[items × dimension]}, rows aligned to the item index. */
    public Embeddings embeddings(BufferAllocator allocator) {
        try (TableReader reader = TableReader.open(dir.file(EMBEDDINGS_FILE), Schemas.EMBEDDINGS, allocator)) {
            int n = itemCount();
            float[] values = null;
            int dimension = 0;
            while (reader.next()) {
                IntVector item = reader.vector("item", IntVector.class);
                FixedSizeListVector lists = reader.vector("embedding", FixedSizeListVector.class);
                Float4Vector elements = (Float4Vector) lists.getDataVector();
                if (values == null) {
                    dimension = lists.getListSize();
                    values = new float[Math.multiplyExact(n, dimension)];
                }
                for (int r = 0; r < reader.root().getRowCount(); r++) {
                    int base = item.get(r) * dimension;
                    for (int d = 0; d < dimension; d++) {
                        values[base + d] = elements.get(r * dimension + d);
                    }
                }
            }
            return new Embeddings(dimension, values == null ? new float[0] : values);
        }
    }

    /** Row-major item vectors; items without a vector in the input are zero rows. */
    public record Embeddings(int dimension, float[] values) {
    }
}
