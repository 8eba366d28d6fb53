package dev.recstage.features.input;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.recstage.core.cli.StageException;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * RFC 4180 CSV (quoted fields, quotes and newlines inside them) through Jackson's streaming CSV
 * parser, which without a schema exposes each row as an array of strings.
 */
final class CsvRecordSource extends RecordSource {
    private static final CsvMapper MAPPER = new CsvMapper();

    private final CsvParser parser;
    private final int[] sourceIndex;
    private final int headerWidth;
    private final List<String> row = new ArrayList<>();
    /** Line where the last row read starts (a quoted newline makes a row span lines). */
    private long rowLine;

    CsvRecordSource(Path file, InputStream in, List<Column> columns, Map<String, String> sourceNames, String mapOption) {
        super(file, columns, sourceNames, mapOption);
        try {
            parser = (CsvParser) MAPPER.getFactory().createParser(in);
        } catch (IOException e) {
            throw StageException.input(file + " cannot be read: " + e.getMessage());
        }
        List<String> header = readRow();
        if (header == null) {
            throw StageException.input(file + " is empty: expected a header line with the column names");
        }
        List<String> names = header.stream().map(String::trim).toList();
        requireColumns(names);
        headerWidth = names.size();
        sourceIndex = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            sourceIndex[c] = names.indexOf(sourceName(columns.get(c)));
        }
    }

    @Override
    protected boolean present(int column) {
        return sourceIndex[column] >= 0;
    }

    @Override
    protected RawRecord read() {
        List<String> fields = readRow();
        long line = rowLine;
        if (fields == null) {
            return null;
        }
        if (fields.size() != headerWidth) {
            return RawRecord.rejected(line, new Reject(Reject.WRONG_COLUMN_COUNT,
                    fields.size() + " fields, the header has " + headerWidth));
        }
        String[] values = new String[columns.size()];
        for (int c = 0; c < values.length; c++) {
            if (sourceIndex[c] >= 0) {
                String value = fields.get(sourceIndex[c]);
                if (value.length() > MAX_TEXT_CHARS) {
                    return RawRecord.rejected(line, tooLong(columns.get(c).name(), value.length()));
                }
                values[c] = clean(value);
            }
        }
        return new RawRecord(line, values, null);
    }

    /** The fields of the next row, or null at the end; a broken file is exit 3 with its position. */
    private List<String> readRow() {
        row.clear();
        rowLine = -1;
        try {
            JsonToken token = parser.nextToken();
            while (token != null && token != JsonToken.START_ARRAY) {
                token = parser.nextToken();
            }
            if (token == null) {
                return null;
            }
            // Where the row starts (names a row whose first field cannot be parsed); its first value gives the exact line.
            rowLine = parser.currentLocation().getLineNr();
            boolean first = true;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null) {
                if (first) {
                    rowLine = parser.currentTokenLocation().getLineNr();
                    first = false;
                }
                row.add(parser.getText());
            }
            return row;
        } catch (IOException | RuntimeException e) {
            JsonLocation at = parser.currentLocation();
            String what = "cannot parse CSV: " + firstLine(e.getMessage()) + " (check quoting, encoding (UTF-8) and compression)";
            if (rowLine > 0 && rowLine != at.getLineNr()) {
                // A quote that never closes runs to the end of the file: name the line where its row starts.
                throw StageException.inputAt(fileName, rowLine, 0, what + "; the row starting here runs to line " + at.getLineNr());
            }
            // The parser's column is not where a malformed byte is (the decoder runs ahead of it): name the line only.
            int column = e instanceof CharConversionException ? 0 : at.getColumnNr();
            throw StageException.inputAt(fileName, at.getLineNr(), column, what);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    @Override
    public void close() {
        closeQuietly(parser);
    }
}
