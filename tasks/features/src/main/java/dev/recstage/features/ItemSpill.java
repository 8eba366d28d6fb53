package dev.recstage.features;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The texts of the item rows that the items pass may keep, in file order, as length-prefixed UTF-8
 * in a scratch file: writing {@code items.arrow} then copies bytes instead of parsing the items
 * file a second time. A row is its {@value #FIELDS} fields, each an int length (-1: null) and
 * that many bytes.
 */
final class ItemSpill {
    /** Its name in the staging directory: it goes with the directory if the run fails. */
    static final String FILE_NAME = ".items.spill";
    static final int FIELDS = 4;
    /** The fields of a row, in {@link Writer#append} order. */
    static final int ID = 0;
    static final int TITLE = 1;
    static final int DESCRIPTION = 2;
    static final int TAGS = 3;

    private ItemSpill() {
    }

    /** Appends rows; {@link #append} returns each row's number. */
    static final class Writer implements Closeable {
        private final Path file;
        private final DataOutputStream out;
        private long rows;

        Writer(Path file) {
            this.file = file;
            try {
                this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }

        long append(String id, String title, String description, String tags) {
            try {
                field(id);
                field(title);
                field(description);
                field(tags);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
            return rows++;
        }

        private void field(String value) throws IOException {
            if (value == null) {
                out.writeInt(-1);
            } else {
                byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                out.writeInt(bytes.length);
                out.write(bytes);
            }
        }

        @Override
        public void close() {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
        }
    }

    /** Reads the rows back in order into reused buffers; deletes the file when closed. */
    static final class Reader implements Closeable {
        private final Path file;
        private final DataInputStream in;
        private final byte[][] bytes = new byte[FIELDS][256];
        private final int[] length = new int[FIELDS];

        Reader(Path file) {
            this.file = file;
            try {
                this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }

        /** Reads the next row; its fields are then {@link #bytes(int)} and {@link #length(int)}. */
        void next() {
            try {
                for (int f = 0; f < FIELDS; f++) {
                    int n = in.readInt();
                    length[f] = n;
                    if (n > bytes[f].length) {
                        bytes[f] = new byte[Math.max(n, 2 * bytes[f].length)];
                    }
                    if (n > 0) {
                        in.readFully(bytes[f], 0, n);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }

        byte[] bytes(int field) {
            return bytes[field];
        }

        /** The field's length in bytes, -1 when it is null. */
        int length(int field) {
            return length[field];
        }

        @Override
        public void close() {
            try (in) {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + file, e);
            }
        }
    }
}
