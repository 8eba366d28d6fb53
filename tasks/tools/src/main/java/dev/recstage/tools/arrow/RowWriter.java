package dev.recstage.tools.arrow;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/** Decoded rows (values of {@link Cells}) written as CSV or JSON Lines with Jackson. */
interface RowWriter extends AutoCloseable {
    void write(Object[] row) throws IOException;

    /** Flushes; the target writer is closed by its owner (it may be stdout). */
    @Override
    void close() throws IOException;

    static RowWriter csv(Writer target, List<String> columns) throws IOException {
        return new Csv(target, columns);
    }

    static RowWriter jsonLines(Writer target, List<String> columns) throws IOException {
        return new JsonLines(target, columns);
    }

    /** A header line, then one line per row; lists and structs as JSON text in their cell; null as an empty cell. */
    final class Csv implements RowWriter {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final SequenceWriter writer;
        private final String[] cells;

        Csv(Writer target, List<String> columns) throws IOException {
            // Not flushing after every row (Jackson's default): that is a system call per row.
            CsvMapper mapper = CsvMapper.builder().disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE)
                    .disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
            CsvSchema schema = CsvSchema.builder().addColumns(columns, CsvSchema.ColumnType.STRING).build().withHeader();
            writer = mapper.writerFor(String[].class).with(schema).writeValues(target);
            cells = new String[columns.size()];
        }

        @Override
        public void write(Object[] row) throws IOException {
            for (int c = 0; c < cells.length; c++) {
                cells[c] = Cells.text(row[c], JSON);
            }
            writer.write(cells);
        }

        @Override
        public void close() throws IOException {
            writer.close();
        }
    }

    /** One JSON object per line, keys in column order. */
    final class JsonLines implements RowWriter {
        private final JsonGenerator json;
        private final String[] columns;

        JsonLines(Writer target, List<String> columns) throws IOException {
            // No separator between root values (Jackson's default is a space): each row ends its line itself.
            JsonFactory factory = new JsonFactoryBuilder().rootValueSeparator((SerializableString) null)
                    .disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
            // Not flushing after every value (Jackson's default): that is a system call per cell.
            json = new ObjectMapper(factory).disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE).getFactory().createGenerator(target);
            this.columns = columns.toArray(String[]::new);
        }

        @Override
        public void write(Object[] row) throws IOException {
            json.writeStartObject();
            for (int c = 0; c < columns.length; c++) {
                json.writeFieldName(columns[c]);
                json.writeObject(row[c]);
            }
            json.writeEndObject();
            json.writeRaw('\n');
        }

        @Override
        public void close() throws IOException {
            json.close();
        }
    }
}
