package dev.recstage.tools.run;

import dev.recstage.core.arrow.ArrowFiles;
import dev.recstage.core.cli.StageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The rows of one key in an Arrow IPC file sorted by an integer key column (a neighbours file by
 * item code, interactions by user), found without reading the whole file: a binary search over the
 * record batches, each batch's first and last keys remembered once it has been loaded, then a
 * binary search inside the batch. One lookup of a 200M-row file loads about a dozen 64K-row
 * batches the first time and one or two once the search has narrowed.
 */
public final class KeyedRows implements AutoCloseable {
    /** Called for each row of the key, in file order; the root holds the row's batch. */
    public interface RowVisitor {
        void visit(VectorSchemaRoot batch, int row, DictionaryProvider dictionaries);
    }

    private static final long UNSEEN = Long.MIN_VALUE;

    private final Path file;
    private final String keyColumn;
    private final FileChannel channel;
    private final ArrowFileReader reader;
    private final List<ArrowBlock> blocks;
    private final long[] firstKeys;
    private final long[] lastKeys;
    private int loadedBlock = -1;

    private KeyedRows(Path file, String keyColumn, FileChannel channel, ArrowFileReader reader) throws IOException {
        this.file = file;
        this.keyColumn = keyColumn;
        this.channel = channel;
        this.reader = reader;
        this.blocks = reader.getRecordBlocks();
        this.firstKeys = new long[blocks.size()];
        this.lastKeys = new long[blocks.size()];
        Arrays.fill(firstKeys, UNSEEN);
        Arrays.fill(lastKeys, UNSEEN);
    }

    /** Opens {@code file} (Arrow IPC file format, as the stages write it) keyed by its integer column {@code keyColumn}. */
    public static KeyedRows open(Path file, String keyColumn, BufferAllocator allocator) {
        return ArrowFiles.open(file, allocator, (channel, reader) -> {
            Schema schema = reader.getVectorSchemaRoot().getSchema();
            if (schema.getFields().stream().noneMatch(f -> f.getName().equals(keyColumn))) {
                throw StageException.input(file + " has no column '" + keyColumn + "'");
            }
            if (!(reader.getVectorSchemaRoot().getVector(keyColumn) instanceof BaseIntVector)) {
                throw StageException.input(file + ": column '" + keyColumn + "' is not integer-coded");
            }
            return new KeyedRows(file, keyColumn, channel, reader);
        });
    }

    public Path file() {
        return file;
    }

    public Schema schema() {
        return root().getSchema();
    }

    /** The file's dictionaries (all of them are read when the file is opened). */
    public DictionaryProvider dictionaries() {
        return reader;
    }

    /** Visits every row whose key is {@code key}, in file order; returns how many there were. */
    public synchronized long visit(long key, RowVisitor visitor) {
        long visited = 0;
        for (int block = firstBlockReaching(key); block < blocks.size(); block++) {
            load(block);
            VectorSchemaRoot batch = root();
            if (batch.getRowCount() == 0) {
                continue;
            }
            if (firstKeys[block] > key) {
                break;
            }
            BaseIntVector keys = (BaseIntVector) batch.getVector(keyColumn);
            for (int row = firstRowReaching(keys, batch.getRowCount(), key); row < batch.getRowCount()
                    && keys.getValueAsLong(row) == key; row++) {
                visitor.visit(batch, row, reader);
                visited++;
            }
            if (lastKeys[block] > key) {
                break;
            }
        }
        return visited;
    }

    /** The first batch whose last key is at least {@code key} (the number of batches when none is). */
    private int firstBlockReaching(long key) {
        int low = 0;
        int high = blocks.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (lastKey(middle) < key) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /** An empty batch counts as ending where the batch before it ended, so that the keys stay sorted. */
    private long lastKey(int block) {
        if (lastKeys[block] == UNSEEN) {
            load(block);
        }
        if (lastKeys[block] == UNSEEN) {
            return block == 0 ? UNSEEN : lastKey(block - 1);
        }
        return lastKeys[block];
    }

    private static int firstRowReaching(BaseIntVector keys, int rows, long key) {
        int low = 0;
        int high = rows;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (keys.getValueAsLong(middle) < key) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    private void load(int block) {
        if (block == loadedBlock) {
            return;
        }
        try {
            reader.loadRecordBatch(blocks.get(block));
        } catch (IOException | RuntimeException e) {
            loadedBlock = -1;
            throw StageException.input(file + " is not a readable Arrow IPC file (" + e.getMessage() + "); it may be truncated", e);
        }
        loadedBlock = block;
        VectorSchemaRoot batch = root();
        int rows = batch.getRowCount();
        if (rows > 0) {
            BaseIntVector keys = (BaseIntVector) batch.getVector(keyColumn);
            firstKeys[block] = keys.getValueAsLong(0);
            lastKeys[block] = keys.getValueAsLong(rows - 1);
        }
    }

    private VectorSchemaRoot root() {
        try {
            return reader.getVectorSchemaRoot();
        } catch (IOException e) {
            throw StageException.input(file + " is not a readable Arrow IPC file (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public synchronized void close() {
        ArrowFiles.closeQuietly(reader, channel);
    }
}
