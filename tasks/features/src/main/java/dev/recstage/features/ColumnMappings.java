package dev.recstage.features;

import dev.recstage.core.cli.StageException;
import dev.recstage.features.input.Column;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --items-map COL=SOURCE} options: which source column stands for each of DESIGN.md's columns. */
final class ColumnMappings {
    private ColumnMappings() {
    }

    static Map<String, String> parse(String option, List<String> mappings, List<Column> columns) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String mapping : mappings == null ? List.<String>of() : mappings) {
            int eq = mapping.indexOf('=');
            if (eq <= 0 || eq == mapping.length() - 1) {
                throw StageException.usage(option + " " + mapping + ": expected COLUMN=SOURCE, e.g. item_id=movieId");
            }
            String column = mapping.substring(0, eq).trim();
            if (columns.stream().noneMatch(c -> c.name().equals(column))) {
                throw StageException.usage(option + " " + mapping + ": unknown column '" + column + "'; columns are "
                        + columns.stream().map(Column::name).toList());
            }
            result.put(column, mapping.substring(eq + 1).trim());
        }
        return result;
    }
}
