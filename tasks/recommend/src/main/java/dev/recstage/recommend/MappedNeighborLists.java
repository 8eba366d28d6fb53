package dev.recstage.recommend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Neighbour lists whose entries are in a scratch file mapped read-only: the neighbour indexes from
 * offset 0, the scores from {@code 4 · capacity}. Its pages are page cache, which the kernel drops
 * under the memory limit and reads again when touched: lists larger than the heap cost time, not
 * an OOM kill. A mapping holds at most 2 GB, so the file is mapped in segments of
 * {@code 2^segmentShift} entries.
 */
final class MappedNeighborLists extends NeighborLists {
    /** 2^28 entries: 1 GiB of indexes or scores per mapping. */
    static final int SEGMENT_SHIFT = 28;

    private final IntBuffer[] neighbors;
    private final FloatBuffer[] scores;
    private final int shift;
    private final int mask;

    private MappedNeighborLists(int[] rowStart, IntBuffer[] neighbors, FloatBuffer[] scores, int shift) {
        super(rowStart);
        this.neighbors = neighbors;
        this.scores = scores;
        this.shift = shift;
        this.mask = (1 << shift) - 1;
    }

    /** Copies the row with bulk reads, a part per mapping that it crosses. */
    @Override
    public void load(int item, Row row) {
        int first = rowStart(item);
        int length = rowEnd(item) - first;
        row.copyOf(length);
        for (int done = 0; done < length; ) {
            int entry = first + done;
            int segment = entry >>> shift;
            int offset = entry & mask;
            int part = Math.min(length - done, mask + 1 - offset);
            neighbors[segment].get(offset, row.neighbors, done, part);
            scores[segment].get(offset, row.scores, done, part);
            done += part;
        }
    }

    /** Bytes of the scratch file for a table of {@code capacity} rows (a sparse gap where rows are left out). */
    static long fileBytes(long capacity) {
        return entryBytes(capacity);
    }

    /**
     * Writes the entries into {@code file} (created, must not exist) through two buffers of
     * {@value #WRITE_BUFFER_BYTES} bytes, then maps it. The caller deletes the file once built:
     * the mapping stays valid.
     */
    static final class Builder implements NeighborLists.Builder {
        /** Bytes of each of the two write buffers (off-heap). */
        static final int WRITE_BUFFER_BYTES = 1 << 20;

        private final Path file;
        private final FileChannel channel;
        private final long scoresOffset;
        private final int shift;
        private final ByteBuffer neighborBuffer = ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES).order(ByteOrder.nativeOrder());
        private final ByteBuffer scoreBuffer = ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES).order(ByteOrder.nativeOrder());
        private long written;

        Builder(Path file, long capacity) {
            this(file, capacity, SEGMENT_SHIFT);
        }

        /** @param shift entries per mapping as a power of two (tests use small ones to cross segments) */
        Builder(Path file, long capacity, int shift) {
            this.file = file;
            this.scoresOffset = 4 * capacity;
            this.shift = shift;
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the scratch file " + file, e);
            }
        }

        @Override
        public void append(int[] rowNeighbors, float[] rowScores, int count) {
            for (int e = 0; e < count; e++) {
                if (!neighborBuffer.hasRemaining()) {
                    flush();
                }
                neighborBuffer.putInt(rowNeighbors[e]);
                scoreBuffer.putFloat(rowScores[e]);
            }
        }

        private void flush() {
            long entries = neighborBuffer.position() / 4;
            write(neighborBuffer, 4 * written);
            write(scoreBuffer, scoresOffset + 4 * written);
            written += entries;
        }

        private void write(ByteBuffer buffer, long position) {
            buffer.flip();
            try {
                while (buffer.hasRemaining()) {
                    position += channel.write(buffer, position);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the scratch file " + file, e);
            }
            buffer.clear();
        }

        @Override
        public NeighborLists build(int[] rowStart) {
            flush();
            long entries = rowStart[rowStart.length - 1];
            int segments = (int) ((entries + (1L << shift) - 1) >>> shift);
            IntBuffer[] neighborSegments = new IntBuffer[segments];
            FloatBuffer[] scoreSegments = new FloatBuffer[segments];
            try (channel) {
                for (int s = 0; s < segments; s++) {
                    long first = (long) s << shift;
                    long bytes = 4 * (Math.min(entries, first + (1L << shift)) - first);
                    neighborSegments[s] = map(4 * first, bytes).asIntBuffer();
                    scoreSegments[s] = map(scoresOffset + 4 * first, bytes).asFloatBuffer();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot map the scratch file " + file, e);
            }
            return new MappedNeighborLists(rowStart, neighborSegments, scoreSegments, shift);
        }

        private ByteBuffer map(long position, long bytes) throws IOException {
            return channel.map(FileChannel.MapMode.READ_ONLY, position, bytes).order(ByteOrder.nativeOrder());
        }
    }
}
