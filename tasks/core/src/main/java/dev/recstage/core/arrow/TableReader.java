package dev.recstage.core.arrow;

import dev.recstage.core.cli.StageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Reads an Arrow IPC file batch by batch after checking that it holds the expected table at the
 * expected schema version. Any unreadable file (truncated, not Arrow, another table) ends the
 * stage with exit 3 and a message naming the file.
 */
public final class TableReader implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final ArrowFileReader reader;
    private final Schema schema;

    private TableReader(Path file, FileChannel channel, ArrowFileReader reader, Schema schema) {
        this.file = file;
        this.channel = channel;
        this.reader = reader;
        this.schema = schema;
    }

    public static TableReader open(Path file, String table, BufferAllocator allocator) {
        return ArrowFiles.open(file, allocator, (channel, reader) -> {
            Schema schema = reader.getVectorSchemaRoot().getSchema();
            checkContract(file, table, schema.getCustomMetadata());
            return new TableReader(file, channel, reader, schema);
        });
    }

    private static void checkContract(Path file, String table, Map<String, String> metadata) {
        String foundTable = metadata == null ? null : metadata.get(Schemas.TABLE_KEY);
        String foundVersion = metadata == null ? null : metadata.get(Schemas.VERSION_KEY);
        if (!table.equals(foundTable)) {
            throw StageException.input(file + ": holds table '" + foundTable + "', expected '" + table + "'");
        }
        if (!Integer.toString(Schemas.VERSION).equals(foundVersion)) {
            throw StageException.input(file + ": schema version " + foundVersion + " found, " + Schemas.VERSION
                    + " expected (rerun the stage that wrote it with this version of recstage)");
        }
    }

    public Schema schema() {
        return schema;
    }

    public Path file() {
        return file;
    }

    /** The root holding the current batch; its vectors are replaced by each {@link #next()}. */
    public VectorSchemaRoot root() {
        try {
            return reader.getVectorSchemaRoot();
        } catch (IOException e) {
            throw failure(e);
        }
    }

    public <V extends FieldVector> V vector(String name, Class<V> type) {
        FieldVector vector = root().getVector(name);
        if (vector == null) {
            throw StageException.input(file + ": has no column '" + name + "'");
        }
        if (!type.isInstance(vector)) {
            throw StageException.input(file + ": column '" + name + "' is " + vector.getField().getType() + ", expected " + type.getSimpleName());
        }
        return type.cast(vector);
    }

    /** Loads the next batch; false at the end. */
    public boolean next() {
        try {
            return reader.loadNextBatch();
        } catch (IOException | RuntimeException e) {
            throw failure(e);
        }
    }

    /** The strings of a dictionary-encoded column (loaded with the first batch). */
    public VarCharVector dictionary(long id) {
        try {
            Dictionary dictionary = reader.getDictionaryVectors().get(id);
            if (dictionary == null) {
                throw StageException.input(file + ": has no dictionary " + id);
            }
            return (VarCharVector) dictionary.getVector();
        } catch (IOException e) {
            throw failure(e);
        }
    }

    private StageException failure(Exception e) {
        return StageException.input(file + " cannot be read (" + e.getMessage() + "); it may be truncated: rerun the stage that wrote it", e);
    }

    @Override
    public void close() {
        ArrowFiles.closeQuietly(reader, channel);
    }
}
