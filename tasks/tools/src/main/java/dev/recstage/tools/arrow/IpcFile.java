package dev.recstage.tools.arrow;

import dev.recstage.core.cli.StageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Any Arrow IPC file, in the file or the stream format, read batch by batch. Unlike core's
 * TableReader it checks no recstage contract: the tools must open files of other schema versions
 * and of other writers (that is when one needs to look inside them). Unreadable files are exit 3.
 */
public final class IpcFile implements AutoCloseable {
    private static final byte[] FILE_MAGIC = "ARROW1".getBytes(StandardCharsets.US_ASCII);
    /** Every message of the current stream format starts with this continuation marker. */
    private static final int STREAM_CONTINUATION = 0xFFFFFFFF;

    private final Path path;
    private final FileChannel channel;
    private final ArrowReader reader;
    private final String format;

    private IpcFile(Path path, FileChannel channel, ArrowReader reader, String format) {
        this.path = path;
        this.channel = channel;
        this.reader = reader;
        this.format = format;
    }

    public static IpcFile open(Path path, BufferAllocator allocator) {
        FileChannel channel = null;
        IpcFile file = null;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
            ByteBuffer head = ByteBuffer.allocate(FILE_MAGIC.length);
            while (head.hasRemaining() && channel.read(head) >= 0) {
                // Read the first bytes whatever the channel's chunking.
            }
            head.flip();
            channel.position(0);
            if (head.equals(ByteBuffer.wrap(FILE_MAGIC))) {
                file = new IpcFile(path, channel, new ArrowFileReader(channel, allocator), "Arrow IPC file");
            } else if (head.remaining() >= 4 && head.getInt(0) == STREAM_CONTINUATION) {
                file = new IpcFile(path, channel, new ArrowStreamReader(Channels.newInputStream(channel), allocator), "Arrow IPC stream");
            } else {
                throw StageException.input(path + " is not an Arrow IPC file (it does not start with Arrow's magic bytes)");
            }
            file.schema(); // reads the schema (and, for the file format, the footer) now
            return file;
        } catch (NoSuchFileException e) {
            throw StageException.input(path + " does not exist");
        } catch (IOException | RuntimeException e) {
            if (file != null) {
                file.close();
            } else {
                closeQuietly(channel);
            }
            if (e instanceof StageException stage) {
                throw stage;
            }
            throw unreadable(path, e);
        }
    }

    /** "Arrow IPC file" or "Arrow IPC stream". */
    public String format() {
        return format;
    }

    public Schema schema() {
        return root().getSchema();
    }

    /** Holds the current batch; its vectors are reloaded by {@link #next()}. */
    public VectorSchemaRoot root() {
        try {
            return reader.getVectorSchemaRoot();
        } catch (IOException | RuntimeException e) {
            throw unreadable(path, e);
        }
    }

    /** Loads the next record batch; false at the end. */
    public boolean next() {
        try {
            return reader.loadNextBatch();
        } catch (IOException | RuntimeException e) {
            throw unreadable(path, e);
        }
    }

    /** The dictionaries (of the stream format: those read so far, i.e. all once a batch is loaded). */
    public DictionaryProvider dictionaries() {
        return reader;
    }

    public Map<Long, Dictionary> dictionaryMap() {
        try {
            return reader.getDictionaryVectors();
        } catch (IOException | RuntimeException e) {
            throw unreadable(path, e);
        }
    }

    private static StageException unreadable(Path path, Exception e) {
        return StageException.input(path + " is not a readable Arrow IPC file (" + e.getMessage() + "); it may be truncated", e);
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException | RuntimeException e) {
            // Nothing to save after reading.
        } finally {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // The first error is the one reported.
            }
        }
    }
}
