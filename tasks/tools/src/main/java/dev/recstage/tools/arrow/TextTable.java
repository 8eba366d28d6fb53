package dev.recstage.tools.arrow;

import java.io.PrintWriter;
import java.util.List;

/** Rows as aligned text columns for a terminal (CJK characters take two columns). */
final class TextTable {
    private static final int MAX_CELL = 40;

    private TextTable() {
    }

    /** A cell's display text: null shown as such, control characters escaped, long text cut. */
    static String cell(String value) {
        if (value == null) {
            return "null";
        }
        String text = value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
        if (text.codePointCount(0, text.length()) > MAX_CELL) {
            text = text.substring(0, text.offsetByCodePoints(0, MAX_CELL - 1)) + "…";
        }
        return text;
    }

    /** {@code rows}: the cells' values (null for null), shown through {@link #cell}. */
    static void print(PrintWriter out, List<String> header, List<List<String>> values) {
        List<List<String>> rows = values.stream().map(row -> row.stream().map(TextTable::cell).toList()).toList();
        int[] widths = new int[header.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = width(header.get(c));
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], width(row.get(c)));
            }
        }
        line(out, header, widths);
        for (List<String> row : rows) {
            line(out, row, widths);
        }
    }

    private static void line(PrintWriter out, List<String> cells, int[] widths) {
        StringBuilder text = new StringBuilder("  ");
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            text.append(cell);
            if (c < cells.size() - 1) {
                text.append(" ".repeat(widths[c] - width(cell) + 2));
            }
        }
        out.println(text);
    }

    /** Terminal columns of the text: East Asian wide characters count two. */
    static int width(String text) {
        return text.codePoints().map(cp -> wide(cp) ? 2 : 1).sum();
    }

    private static boolean wide(int cp) {
        return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60)
                || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
    }
}
