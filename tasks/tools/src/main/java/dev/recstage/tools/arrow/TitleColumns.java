package dev.recstage.tools.arrow;

import dev.recstage.tools.run.Catalogue;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@code --features DIR}: a title column beside each column that names an item ({@code item_id},
 * {@code neighbor_id}, {@code because}: ids; {@code item}: the features' dense index).
 */
final class TitleColumns {
    private static final Set<String> ID_COLUMNS = Set.of("item_id", "neighbor_id", "because");
    private static final String INDEX_COLUMN = "item";

    private final Catalogue catalogue;
    private final List<String> columns;

    TitleColumns(Catalogue catalogue, List<String> columns) {
        this.catalogue = catalogue;
        this.columns = columns;
    }

    List<String> header() {
        List<String> header = new ArrayList<>();
        for (String column : columns) {
            header.add(column);
            if (names(column)) {
                header.add(column + ":title");
            }
        }
        return header;
    }

    /** The row's cells with the titles inserted; {@code cells} in the file's column order. */
    List<String> row(List<String> cells) {
        List<String> row = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            row.add(cells.get(c));
            if (names(columns.get(c))) {
                row.add(title(columns.get(c), cells.get(c)));
            }
        }
        return row;
    }

    private boolean names(String column) {
        return ID_COLUMNS.contains(column) || column.equals(INDEX_COLUMN);
    }

    private String title(String column, String value) {
        if (value == null) {
            return null;
        }
        OptionalInt item = column.equals(INDEX_COLUMN) ? index(value) : catalogue.indexOf(value);
        return item.isPresent() ? catalogue.title(item.getAsInt()) : "(not in the features)";
    }

    private OptionalInt index(String value) {
        try {
            int index = Integer.parseInt(value);
            return index >= 0 && index < catalogue.size() ? OptionalInt.of(index) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
