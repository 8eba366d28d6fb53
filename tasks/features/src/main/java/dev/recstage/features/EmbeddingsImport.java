package dev.recstage.features;

import dev.recstage.core.arrow.Schemas;
import dev.recstage.core.arrow.TableWriter;
import dev.recstage.core.cli.StageException;
import dev.recstage.features.input.Reject;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FloatingPointVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.BaseListVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;

/**
 * Raw embeddings (Arrow IPC file: {@code item_id: utf8}, {@code embedding}: a fixed-size or
 * variable list of floats) aligned to the item index as {@code embeddings.arrow}. Rows with an
 * unknown id, a non-finite value, another dimension or a repeated id are rejected; items
 * without a vector get a zero vector (counted).
 */
final class EmbeddingsImport {
    /** Figures for the manifest. */
    record Result(long rowsRead, long kept, int dimension, long itemsWithoutVector) {
    }

    private EmbeddingsImport() {
    }

    /**
     * The dimension of the output's vectors as far as it can be known before the import: the list
     * size of a fixed-size list, else the length of the first vector; 0 when the file cannot tell
     * (unreadable or without vectors: the import itself reports why).
     */
    static int plannedDimension(Path input, BufferAllocator allocator) {
        try (FileChannel channel = FileChannel.open(input, StandardOpenOption.READ);
             ArrowFileReader reader = new ArrowFileReader(channel, allocator)) {
            if (reader.getVectorSchemaRoot().getVector("embedding") instanceof FixedSizeListVector fixed) {
                return fixed.getListSize();
            }
            while (reader.loadNextBatch()) {
                if (reader.getVectorSchemaRoot().getVector("embedding") instanceof ListVector lists) {
                    for (int r = 0; r < lists.getValueCount(); r++) {
                        if (!lists.isNull(r)) {
                            return lists.getElementEndIndex(r) - lists.getElementStartIndex(r);
                        }
                    }
                }
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Heap bytes of the import: the vectors aligned to the items, and which items have one. */
    static long heapBytes(long items, int dimension) {
        return 4L * items * dimension + items;
    }

    static Result run(Path input, Path output, IdIndex items, RejectLog rejects, BufferAllocator allocator) {
        String name = input.getFileName().toString();
        float[] vectors = null;
        boolean[] seen = new boolean[items.size()];
        int dimension = -1;
        long read = 0;
        long kept = 0;
        try (FileChannel channel = FileChannel.open(input, StandardOpenOption.READ);
             ArrowFileReader reader = new ArrowFileReader(channel, allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            FieldVector idColumn = root.getVector("item_id");
            FieldVector listColumn = root.getVector("embedding");
            if (!(idColumn instanceof VarCharVector) || !(listColumn instanceof BaseListVector)) {
                throw StageException.input(input + ": expected columns item_id (utf8) and embedding (list of float), found " + root.getSchema());
            }
            while (reader.loadNextBatch()) {
                VarCharVector ids = (VarCharVector) root.getVector("item_id");
                FieldVector lists = root.getVector("embedding");
                FloatingPointVector values = floats(input, lists);
                for (int r = 0; r < root.getRowCount(); r++) {
                    long line = ++read;
                    int start = lists instanceof FixedSizeListVector f ? r * f.getListSize() : ((ListVector) lists).getElementStartIndex(r);
                    int end = lists instanceof FixedSizeListVector f ? start + f.getListSize() : ((ListVector) lists).getElementEndIndex(r);
                    String id = ids.isNull(r) ? null : new String(ids.get(r), StandardCharsets.UTF_8);
                    int item = id == null ? -1 : items.indexOf(id);
                    if (dimension < 0 && item >= 0 && !lists.isNull(r)) {
                        dimension = end - start;
                        vectors = new float[Math.multiplyExact(items.size(), dimension)];
                    }
                    Reject reject = check(id, item, lists.isNull(r), end - start, dimension, values, start, end, seen);
                    if (reject != null) {
                        rejects.reject(name, line, reject);
                        continue;
                    }
                    for (int k = start; k < end; k++) {
                        vectors[item * dimension + k - start] = (float) values.getValueAsDouble(k);
                    }
                    seen[item] = true;
                    kept++;
                }
            }
        } catch (NoSuchFileException e) {
            throw StageException.input(input + " does not exist");
        } catch (IOException | RuntimeException e) {
            if (e instanceof StageException stage) {
                throw stage;
            }
            throw StageException.input(input + " is not a readable Arrow IPC file of embeddings (" + e.getMessage() + ")", e);
        }
        if (dimension <= 0) {
            throw StageException.input(input + ": no usable vector (none matches an item id, or all are empty)");
        }
        long missing = 0;
        for (boolean s : seen) {
            missing += s ? 0 : 1;
        }
        write(output, vectors, items.size(), dimension, allocator);
        return new Result(read, kept, dimension, missing);
    }

    private static Reject check(String id, int item, boolean nullList, int length, int dimension,
                                FloatingPointVector values, int start, int end, boolean[] seen) {
        if (id == null || id.isBlank()) {
            return new Reject(Reject.EMPTY_ID, "empty item_id");
        }
        if (item < 0) {
            return new Reject(Reject.UNKNOWN_ITEM, "item_id '" + id + "' is not in the items file");
        }
        if (nullList || length != dimension) {
            return new Reject(Reject.BAD_VECTOR, "vector of dimension " + (nullList ? 0 : length) + ", expected " + dimension);
        }
        if (seen[item]) {
            return new Reject(Reject.BAD_VECTOR, "a second vector for item_id '" + id + "'");
        }
        for (int k = start; k < end; k++) {
            if (values.isNull(k) || !Double.isFinite(values.getValueAsDouble(k))) {
                return new Reject(Reject.BAD_VECTOR, "non-finite or missing value at position " + (k - start));
            }
        }
        return null;
    }

    private static FloatingPointVector floats(Path input, FieldVector lists) {
        FieldVector data = lists instanceof FixedSizeListVector f ? f.getDataVector() : ((ListVector) lists).getDataVector();
        if (data instanceof FloatingPointVector floats) {
            return floats;
        }
        throw StageException.input(input + ": embedding elements are " + data.getField().getType() + ", expected float32 or float64");
    }

    private static void write(Path output, float[] vectors, int items, int dimension, BufferAllocator allocator) {
        try (TableWriter out = TableWriter.open(output, Schemas.embeddings(dimension), allocator)) {
            IntVector item = out.vector("item", IntVector.class);
            FixedSizeListVector lists = out.vector("embedding", FixedSizeListVector.class);
            org.apache.arrow.vector.Float4Vector values = (org.apache.arrow.vector.Float4Vector) lists.getDataVector();
            int row = 0;
            int batch = Math.max(1, Math.min(TableWriter.BATCH_ROWS, (1 << 22) / dimension));
            for (int i = 0; i < items; i++) {
                item.setSafe(row, i);
                lists.setNotNull(row);
                for (int d = 0; d < dimension; d++) {
                    values.setSafe(row * dimension + d, vectors[i * dimension + d]);
                }
                if (++row == batch) {
                    out.writeBatch(row);
                    row = 0;
                }
            }
            out.writeBatch(row);
        }
    }
}
