package dev.recstage.core.arrow;

import dev.recstage.core.cli.StageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;

/**
 * Opens Arrow IPC files for the readers of this project: a missing or unreadable file (truncated,
 * not Arrow) ends the stage with exit 3 and a message naming it, and nothing is left open.
 */
public final class ArrowFiles {
    /** What a reader makes of the opened file; it owns the channel and reader once it returns. */
    public interface Opened<T> {
        T open(FileChannel channel, ArrowFileReader reader) throws IOException;
    }

    private ArrowFiles() {
    }

    public static <T> T open(Path file, BufferAllocator allocator, Opened<T> then) {
        FileChannel channel = null;
        ArrowFileReader reader = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            reader = new ArrowFileReader(channel, allocator);
            return then.open(channel, reader);
        } catch (NoSuchFileException e) {
            closeQuietly(reader, channel);
            throw StageException.input(file + " does not exist");
        } catch (IOException | RuntimeException e) {
            closeQuietly(reader, channel);
            if (e instanceof StageException stage) {
                throw stage;
            }
            throw StageException.input(file + " is not a readable Arrow IPC file (" + e.getMessage()
                    + "); it may be truncated or of another format: rerun the stage that wrote it", e);
        }
    }

    /** Closes after a failure or at the end of reading: the first error is the one reported. */
    public static void closeQuietly(AutoCloseable... closeables) {
        for (AutoCloseable closeable : closeables) {
            if (closeable != null) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    // Nothing to save: the file was only read.
                }
            }
        }
    }
}
