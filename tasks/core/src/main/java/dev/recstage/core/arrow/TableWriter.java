package dev.recstage.core.arrow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Writes an Arrow IPC file batch by batch from one reused {@link VectorSchemaRoot}, so that a
 * table of any length needs only one batch of vectors in memory. Dictionary-encoded columns take
 * their dictionaries up front (the IPC file format stores each dictionary once).
 */
public final class TableWriter implements AutoCloseable {
    /** Rows per record batch: small enough to stay light, large enough for readers to be fast. */
    public static final int BATCH_ROWS = 64 * 1024;
    /** Buffer bytes after which a batch of wide rows (long texts) is written before BATCH_ROWS. */
    public static final long BATCH_BYTES = 8L << 20;
    /** Per record batch: its message header, plus per column its metadata and the padding of its buffers to 8 bytes. */
    private static final long BATCH_OVERHEAD_BYTES = 512;
    private static final long COLUMN_OVERHEAD_BYTES = 96;
    /** Magic, schema (with its metadata) and footer. */
    private static final long FILE_OVERHEAD_BYTES = 16L << 10;

    private final FileChannel channel;
    private final VectorSchemaRoot root;
    private final ArrowFileWriter writer;
    private final Path file;
    private long rows;
    /** Rows of the current batch filled through {@link #row()} and {@link #endRow()}, not yet written. */
    private int pending;

    private TableWriter(Path file, FileChannel channel, VectorSchemaRoot root, ArrowFileWriter writer) {
        this.file = file;
        this.channel = channel;
        this.root = root;
        this.writer = writer;
    }

    /**
     * An upper bound of the size of a file of {@code rows} rows of at most {@code rowBytes} bytes each
     * (values, offsets and validity bits of its {@code columns} columns) written in batches as this
     * class writes them (BATCH_ROWS rows or BATCH_BYTES at most), for a stage's DiskPlan.
     */
    public static long estimatedBytes(long rows, long rowBytes, int columns) {
        long data = Math.multiplyExact(rows, rowBytes);
        long batches = rows / BATCH_ROWS + data / BATCH_BYTES + 2;
        return data + batches * (BATCH_OVERHEAD_BYTES + COLUMN_OVERHEAD_BYTES * columns) + FILE_OVERHEAD_BYTES;
    }

    public static TableWriter open(Path file, Schema schema, BufferAllocator allocator, Dictionary... dictionaries) {
        DictionaryProvider.MapDictionaryProvider provider = new DictionaryProvider.MapDictionaryProvider();
        for (Dictionary dictionary : dictionaries) {
            provider.put(dictionary);
        }
        VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
        // Room for a whole batch up front in scalar fixed-width columns, so that they can be set
        // without capacity checks; lists and strings grow with setSafe.
        for (FieldVector vector : root.getFieldVectors()) {
            if (vector instanceof BaseFixedWidthVector) {
                vector.setInitialCapacity(BATCH_ROWS);
                vector.allocateNew();
            }
        }
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            ArrowFileWriter writer = new ArrowFileWriter(root, provider, channel, schema.getCustomMetadata());
            writer.start();
            return new TableWriter(file, channel, root, writer);
        } catch (IOException e) {
            root.close();
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public VectorSchemaRoot root() {
        return root;
    }

    public <V extends FieldVector> V vector(String name, Class<V> type) {
        return type.cast(root.getVector(name));
    }

    /**
     * Whether a batch holding {@code rowCount} rows should be written now: it has BATCH_ROWS rows, or
     * (checked every 256 rows, as summing the buffers costs a little) BATCH_BYTES of buffers.
     */
    public boolean isFull(int rowCount) {
        if (rowCount >= BATCH_ROWS) {
            return true;
        }
        if ((rowCount & 0xFF) != 0) {
            return false;
        }
        long bytes = 0;
        for (FieldVector vector : root.getFieldVectors()) {
            // Allocated data capacity: the value count (and so getBufferSize) is only set at write time.
            bytes += vector.getDataBuffer().capacity();
        }
        return bytes >= BATCH_BYTES;
    }

    /** Writes the first {@code rowCount} rows of the root as one batch, then clears it for the next. */
    public void writeBatch(int rowCount) {
        root.setRowCount(rowCount);
        try {
            writer.writeBatch();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        rows += rowCount;
        for (FieldVector vector : root.getFieldVectors()) {
            vector.reset();
        }
    }

    /** Rows written so far, not counting a batch still being filled. */
    public long rows() {
        return rows;
    }

    /** The row of the current batch that the writer of a row-by-row table fills before {@link #endRow()}. */
    public int row() {
        return pending;
    }

    /** Ends the row being filled; the batch is written once it holds BATCH_ROWS rows, the last one by {@link #close()}. */
    public void endRow() {
        if (++pending == BATCH_ROWS) {
            writeBatch(pending);
            pending = 0;
        }
    }

    /** Rows written or filled so far. */
    public long rowsWithPending() {
        return rows + pending;
    }

    @Override
    public void close() {
        try {
            if (pending > 0) {
                writeBatch(pending);
                pending = 0;
            }
            writer.end();
            writer.close();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish " + file, e);
        } finally {
            root.close();
        }
    }
}
