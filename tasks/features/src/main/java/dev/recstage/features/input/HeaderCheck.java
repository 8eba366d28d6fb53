package dev.recstage.features.input;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a file's header says beyond its required columns, for warnings (the stage goes on): the
 * columns that no mapping reads, and mapped or optional columns that are absent, with the file's
 * closest column name. A misspelt optional column would otherwise leave it empty without a word.
 */
final class HeaderCheck {
    /** At most this many edits apart, a column name is offered as the one meant. */
    private static final int CLOSE = 2;
    private static final int MAX_SHOWN = 60;

    private HeaderCheck() {
    }

    static List<String> warnings(String fileName, List<Column> columns, Map<String, String> sourceNames, List<String> available,
            String mapOption) {
        Set<String> read = new HashSet<>();
        for (Column column : columns) {
            read.add(sourceNames.getOrDefault(column.name(), column.name()));
        }
        List<String> unused = available.stream().filter(name -> !read.contains(name)).toList();
        List<String> warnings = new ArrayList<>();
        for (Column column : columns) {
            String source = sourceNames.getOrDefault(column.name(), column.name());
            if (column.required() || available.contains(source)) {
                continue;
            }
            Optional<String> closest = closest(source, unused);
            if (sourceNames.containsKey(column.name())) {
                warnings.add(fileName + ": " + mapOption + " " + column.name() + "=" + source + ": the file has no column '" + source + "'"
                        + closest.map(name -> " (closest: '" + name + "')").orElse("") + "; " + column.name() + " stays empty");
            } else if (closest.isPresent()) {
                warnings.add(fileName + ": no column '" + source + "', but '" + closest.get() + "' looks like it; " + column.name()
                        + " stays empty unless mapped with " + mapOption + " " + column.name() + "=" + closest.get());
            }
        }
        if (!unused.isEmpty()) {
            warnings.add(fileName + ": columns not used: " + String.join(", ", unused.stream().map(HeaderCheck::shown).toList())
                    + " (map one with " + mapOption + " COLUMN=NAME; columns are "
                    + columns.stream().map(Column::name).toList() + ")");
        }
        return warnings;
    }

    /**
     * The name fewest edits from {@code wanted}, ignoring case, if it is close. Names whose length
     * alone puts them further are not compared (a header can be one 100 MB "name").
     */
    private static Optional<String> closest(String wanted, List<String> names) {
        return names.stream().filter(name -> Math.abs(name.length() - wanted.length()) <= CLOSE)
                .filter(name -> distance(wanted.toLowerCase(), name.toLowerCase()) <= CLOSE)
                .min(Comparator.comparingInt(name -> distance(wanted.toLowerCase(), name.toLowerCase())));
    }

    /** A column name as a warning shows it: cut after 60 characters. */
    private static String shown(String name) {
        return name.length() <= MAX_SHOWN ? name : name.substring(0, MAX_SHOWN) + "…";
    }

    /** Levenshtein distance (insertions, deletions, substitutions), two rows of the table at a time. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
