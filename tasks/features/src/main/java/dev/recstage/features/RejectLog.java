package dev.recstage.features;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import dev.recstage.core.cli.StageException;
import dev.recstage.core.io.Manifest;
import dev.recstage.features.input.Reject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code rejects.csv} (file, line, reason, detail) plus the per-file counts that go into the
 * manifest; enforces the maximum share of rejected rows per file.
 */
final class RejectLog implements AutoCloseable {
    static final String FILE_NAME = "rejects.csv";

    private record FileCounts(Map<String, Long> reasons, String[] firstExample) {
    }

    private final JsonGenerator csv;
    private final Map<String, FileCounts> files = new LinkedHashMap<>();
    private long rows;

    RejectLog(Path file) {
        try {
            csv = new CsvFactory().createGenerator(Files.newBufferedWriter(file));
            csv.setSchema(com.fasterxml.jackson.dataformat.csv.CsvSchema.builder()
                    .addColumn("file").addColumn("line").addColumn("reason").addColumn("detail")
                    .setUseHeader(true).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void reject(String file, long line, Reject reject) {
        FileCounts counts = files.computeIfAbsent(file, f -> new FileCounts(new TreeMap<>(), new String[1]));
        counts.reasons().merge(reject.reason(), 1L, Long::sum);
        if (counts.firstExample()[0] == null) {
            counts.firstExample()[0] = "line " + line + ": " + reject.reason() + " (" + reject.detail() + ")";
        }
        try {
            csv.writeStartArray();
            csv.writeString(file);
            csv.writeString(Long.toString(line));
            csv.writeString(reject.reason());
            csv.writeString(reject.detail());
            csv.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        rows++;
    }

    long rejected(String file) {
        FileCounts counts = files.get(file);
        return counts == null ? 0 : counts.reasons().values().stream().mapToLong(Long::longValue).sum();
    }

    /** Counts of a file for the manifest. */
    Manifest.RowCounts counts(String file, long read, long kept) {
        FileCounts counts = files.get(file);
        return new Manifest.RowCounts(read, kept, counts == null ? Map.of() : counts.reasons());
    }

    /** Exit 3 when more than {@code maxRatio} of a file's rows were rejected. */
    void requireRatio(String file, long read, double maxRatio) {
        long rejected = rejected(file);
        if (read > 0 && (double) rejected / read > maxRatio) {
            FileCounts counts = files.get(file);
            throw StageException.input(String.format(Locale.ROOT,
                    "%s: %d of %d rows rejected (%.2f%%), more than --max-reject-ratio %s; reasons %s; first: %s",
                    file, rejected, read, 100.0 * rejected / read, maxRatio, counts.reasons(), counts.firstExample()[0]));
        }
    }

    long rows() {
        return rows;
    }

    @Override
    public void close() {
        try {
            csv.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
