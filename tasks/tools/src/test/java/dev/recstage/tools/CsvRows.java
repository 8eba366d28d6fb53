package dev.recstage.tools;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A CSV with a header read back as an independent parser sees it (Jackson CSV, RFC 4180). */
public record CsvRows(List<String> header, List<Map<String, String>> rows) {
    public static CsvRows read(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader);
        }
    }

    public static CsvRows parse(String text) throws IOException {
        return read(new StringReader(text));
    }

    private static CsvRows read(Reader reader) throws IOException {
        CsvMapper mapper = new CsvMapper();
        List<String> header = null;
        List<Map<String, String>> rows = new ArrayList<>();
        try (MappingIterator<String[]> lines = mapper.readerFor(String[].class)
                .with(CsvParser.Feature.WRAP_AS_ARRAY)
                .with(CsvSchema.emptySchema()).readValues(reader)) {
            while (lines.hasNext()) {
                String[] cells = lines.next();
                if (header == null) {
                    header = List.of(cells);
                    continue;
                }
                if (cells.length != header.size()) {
                    throw new IllegalStateException("row " + (rows.size() + 1) + " has " + cells.length + " cells, header " + header.size());
                }
                Map<String, String> row = new LinkedHashMap<>();
                for (int c = 0; c < cells.length; c++) {
                    row.put(header.get(c), cells[c]);
                }
                rows.add(row);
            }
        }
        return new CsvRows(header, rows);
    }

    public List<String> column(String name) {
        return rows.stream().map(r -> r.get(name)).toList();
    }
}
