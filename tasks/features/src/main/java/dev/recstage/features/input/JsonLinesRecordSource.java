package dev.recstage.features.input;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recstage.core.cli.StageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JSON Lines: one object per line. A line that is not valid JSON, not an object, or holds an
 * object or array where a value is expected rejects its row; the file goes on.
 */
final class JsonLinesRecordSource extends RecordSource {
    /** Longest line read; longer lines (e.g. a file with no newlines) stop the stage. */
    static final int MAX_LINE_CHARS = 16 * 1024 * 1024;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final BoundedLineReader lines;
    private final boolean[] present;
    private long lineNumber;
    private boolean columnsLearned;
    private RawRecord pending;

    JsonLinesRecordSource(Path file, InputStream in, List<Column> columns, Map<String, String> sourceNames, String mapOption) {
        super(file, columns, sourceNames, mapOption);
        this.lines = new BoundedLineReader(in, MAX_LINE_CHARS);
        this.present = new boolean[columns.size()];
        // The columns of a JSON Lines file are the keys of its first object.
        pending = read();
        if (pending == null) {
            throw StageException.input(file + " is empty: expected one JSON object per line");
        }
        if (pending.isRejected()) {
            throw StageException.inputAt(fileName, pending.line(), 0, "the first line must be a JSON object: " + pending.reject().detail());
        }
    }

    @Override
    protected boolean present(int column) {
        return present[column];
    }

    @Override
    protected RawRecord read() {
        if (pending != null) {
            RawRecord first = pending;
            pending = null;
            return first;
        }
        String text = nextNonBlankLine();
        if (text == null) {
            return null;
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return RawRecord.rejected(lineNumber, new Reject(Reject.INVALID_JSON, e.getOriginalMessage()));
        }
        if (!node.isObject()) {
            return RawRecord.rejected(lineNumber, new Reject(Reject.NOT_AN_OBJECT, "a JSON " + node.getNodeType().name().toLowerCase() + ", expected an object"));
        }
        if (!columnsLearned) {
            learnColumns(node);
            columnsLearned = true;
        }
        String[] values = new String[columns.size()];
        for (int c = 0; c < values.length; c++) {
            JsonNode value = node.get(sourceName(columns.get(c)));
            if (value == null || value.isNull()) {
                continue;
            }
            if (value.isContainerNode()) {
                return RawRecord.rejected(lineNumber, new Reject(Reject.WRONG_TYPE,
                        columns.get(c).name() + " is a JSON " + value.getNodeType().name().toLowerCase() + ", expected a string or number"));
            }
            String string = value.asText();
            if (string.length() > MAX_TEXT_CHARS) {
                return RawRecord.rejected(lineNumber, tooLong(columns.get(c).name(), string.length()));
            }
            values[c] = clean(string);
        }
        return new RawRecord(lineNumber, values, null);
    }

    private void learnColumns(JsonNode first) {
        List<String> keys = new ArrayList<>();
        first.fieldNames().forEachRemaining(keys::add);
        requireColumns(keys);
        for (int c = 0; c < columns.size(); c++) {
            present[c] = keys.contains(sourceName(columns.get(c)));
        }
    }

    private String nextNonBlankLine() {
        try {
            String text;
            do {
                // Counted before reading, so that a line too long or unreadable is named by its own number.
                lineNumber++;
                text = lines.readLine();
            } while (text != null && text.isBlank());
            return text;
        } catch (BoundedLineReader.LineTooLongException e) {
            throw StageException.inputAt(fileName, lineNumber, 0, e.getMessage() + ": is it really JSON Lines (one object per line)?");
        } catch (IOException e) {
            throw StageException.inputAt(fileName, lineNumber, 0, "cannot read: " + e.getMessage() + " (expected UTF-8 text; a .gz file may be truncated)");
        }
    }

    @Override
    public void close() {
        closeQuietly(lines);
    }
}
