package dev.recstage.tools.generate;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A CSV file written row by row with a header, quoted as RFC 4180 says (Jackson CSV). */
public final class CsvOut implements AutoCloseable {
    /** Jackson flushes after every value by default: a system call per row. */
    private static final CsvMapper MAPPER = CsvMapper.builder().disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE).build();

    private final Path file;
    private final SequenceWriter writer;
    private long rows;

    public CsvOut(Path file, String... columns) {
        this.file = file;
        CsvSchema schema = CsvSchema.builder().addColumns(List.of(columns), CsvSchema.ColumnType.STRING)
                .build().withHeader();
        try {
            BufferedWriter out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8), 1 << 16);
            writer = MAPPER.writerFor(String[].class).with(schema).writeValues(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public void row(String... values) {
        try {
            writer.write(values);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        rows++;
    }

    public long rows() {
        return rows;
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish " + file, e);
        }
    }
}
