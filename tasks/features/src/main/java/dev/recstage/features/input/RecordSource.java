package dev.recstage.features.input;

import dev.recstage.core.cli.StageException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.jboss.logging.Logger;

/**
 * Streams the rows of a raw input file (CSV, CSV.gz, JSON Lines, JSON Lines .gz; by extension)
 * as {@link RawRecord}s holding the requested columns, found under their mapped source names.
 * Rows are never all in memory. Unusable files end the stage with exit 3 naming file and line.
 */
public abstract class RecordSource implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RecordSource.class);
    /** Longest text value kept; longer values reject their row. */
    public static final int MAX_TEXT_CHARS = 64 * 1024;

    protected final String fileName;
    protected final List<Column> columns;
    protected final Map<String, String> sourceNames;
    private final String mapOption;
    private long rows;

    protected RecordSource(Path file, List<Column> columns, Map<String, String> sourceNames, String mapOption) {
        this(file.getFileName().toString(), columns, sourceNames, mapOption);
    }

    private RecordSource(String fileName, List<Column> columns, Map<String, String> sourceNames, String mapOption) {
        this.fileName = fileName;
        this.columns = columns;
        this.sourceNames = sourceNames;
        this.mapOption = mapOption;
    }

    /** A source that passes on the rows of {@code source}, with its file, columns and names. */
    protected RecordSource(RecordSource source) {
        this(source.fileName, source.columns, source.sourceNames, source.mapOption);
    }

    /** {@code mapOption}: the option that maps this file's columns, named in errors (e.g. {@code --items-map}). */
    public static RecordSource open(Path file, List<Column> columns, Map<String, String> sourceNames, String mapOption) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        boolean gzip = name.endsWith(".gz");
        String base = gzip ? name.substring(0, name.length() - 3) : name;
        InputStream in = openStream(file, gzip);
        try {
            if (base.endsWith(".csv")) {
                return new ReadAheadRecordSource(new CsvRecordSource(file, in, columns, sourceNames, mapOption));
            }
            if (base.endsWith(".jsonl") || base.endsWith(".ndjson") || base.endsWith(".json")) {
                return new ReadAheadRecordSource(new JsonLinesRecordSource(file, in, columns, sourceNames, mapOption));
            }
        } catch (RuntimeException e) {
            closeQuietly(in);
            throw e;
        }
        closeQuietly(in);
        throw StageException.input(file + ": unknown format; expected .csv, .csv.gz, .jsonl or .jsonl.gz");
    }

    /** The file's bytes as the readers see them: decompressed when its name ends with .gz, without a BOM. */
    public static InputStream openStream(Path file) {
        return openStream(file, file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".gz"));
    }

    private static InputStream openStream(Path file, boolean gzip) {
        try {
            InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            return skipBom(gzip ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in);
        } catch (NoSuchFileException e) {
            throw StageException.input(file + " does not exist");
        } catch (IOException e) {
            throw StageException.input(file + " cannot be read: " + e.getMessage());
        }
    }

    /** Drops a UTF-8 byte order mark, which spreadsheet exports put before the header. */
    private static InputStream skipBom(InputStream in) throws IOException {
        in.mark(3);
        if (!(in.read() == 0xEF && in.read() == 0xBB && in.read() == 0xBF)) {
            in.reset();
        }
        return in;
    }

    /** The next row, or null at the end of the file. */
    public final RawRecord next() {
        RawRecord record = read();
        if (record != null) {
            rows++;
        }
        return record;
    }

    protected abstract RawRecord read();

    /** Rows returned so far (kept and rejected). */
    public long rows() {
        return rows;
    }

    public String fileName() {
        return fileName;
    }

    public boolean has(String column) {
        return indexOf(column) >= 0;
    }

    /** Index of a requested column in {@link RawRecord#values()}. */
    public int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column) && present(i)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether the file has the requested column at this index. */
    protected abstract boolean present(int column);

    protected String sourceName(Column column) {
        return sourceNames.getOrDefault(column.name(), column.name());
    }

    /** Exit 3 when a required column is missing, listing what the file has and how to map it. */
    protected void requireColumns(List<String> available) {
        List<String> missing = new ArrayList<>();
        for (Column column : columns) {
            if (column.required() && !available.contains(sourceName(column))) {
                missing.add(column.name() + (sourceName(column).equals(column.name()) ? "" : " (mapped to '" + sourceName(column) + "')"));
            }
        }
        if (!missing.isEmpty()) {
            throw StageException.input(fileName + ": missing required column " + String.join(", ", missing)
                    + "; the file has " + available + " (map a column with " + mapOption
                    + " NAME=COLUMN; if all names are in one column, the delimiter is not ',')");
        }
        HeaderCheck.warnings(fileName, columns, sourceNames, available, mapOption).forEach(LOG::warn);
    }

    /** A value as kept: trimmed-empty is absent; too long rejects the row. */
    protected static String clean(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return value;
    }

    protected Reject tooLong(String column, int length) {
        return new Reject(Reject.TEXT_TOO_LONG, column + " has " + length + " characters, more than " + MAX_TEXT_CHARS);
    }

    protected static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // Already failing or done.
        }
    }

    @Override
    public abstract void close();
}
