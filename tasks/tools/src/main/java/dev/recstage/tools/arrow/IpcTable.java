package dev.recstage.tools.arrow;

import dev.recstage.core.io.StageOutput;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * One table read batch by batch from one Arrow IPC file, or from the same file of every shard of a
 * sharded stage output in shard order ({@link StageOutput#physicalFiles}); one file is open at a time.
 * The shards of one output share the schema and dictionaries, so batches decode the same way.
 */
public final class IpcTable implements AutoCloseable {
    private final List<Path> files;
    private final BufferAllocator allocator;
    private int current;
    private IpcFile file;

    private IpcTable(List<Path> files, BufferAllocator allocator) {
        this.files = files;
        this.allocator = allocator;
        this.file = IpcFile.open(files.get(0), allocator);
    }

    /** Exit 3 when the path is neither a readable file nor a file of a complete set of shards. */
    public static IpcTable open(Path path, BufferAllocator allocator) {
        return new IpcTable(StageOutput.physicalFiles(path), allocator);
    }

    public List<Path> files() {
        return files;
    }

    public String format() {
        return file.format();
    }

    public Schema schema() {
        return file.schema();
    }

    /** The current batch; another object after {@link #next()} moved to the next shard, so fetch it per batch. */
    public VectorSchemaRoot root() {
        return file.root();
    }

    /** Loads the next record batch of this shard, else the first of the next shard with one; false at the end. */
    public boolean next() {
        while (!file.next()) {
            if (current + 1 == files.size()) {
                return false;
            }
            file.close();
            file = IpcFile.open(files.get(++current), allocator);
        }
        return true;
    }

    public DictionaryProvider dictionaries() {
        return file.dictionaries();
    }

    public Map<Long, Dictionary> dictionaryMap() {
        return file.dictionaryMap();
    }

    @Override
    public void close() {
        file.close();
    }
}
