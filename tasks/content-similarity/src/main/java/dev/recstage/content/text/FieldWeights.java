package dev.recstage.content.text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses {@code CONTENT_FIELD_WEIGHTS}: {@code field:weight} pairs, comma-separated, e.g. {@code title:1,tags:2}. */
public final class FieldWeights {
    private FieldWeights() {
    }

    /**
     * The weighted fields: every field of {@code fields}, in that order, with the weight the text
     * gives it (1 when it names none).
     *
     * @throws IllegalArgumentException for a malformed pair, a field not in {@code fields}, a field
     *                                  named twice, or a weight that is not a finite number > 0
     */
    public static List<TextRules.WeightedField> parse(String text, List<String> fields) {
        Map<String, Double> given = new LinkedHashMap<>();
        for (String entry : text.split(",")) {
            String pair = entry.trim();
            if (pair.isEmpty()) {
                continue;
            }
            int colon = pair.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("'" + pair + "' is not field:weight (e.g. tags:2)");
            }
            String field = pair.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT);
            if (!fields.contains(field)) {
                throw new IllegalArgumentException("field '" + pair.substring(0, colon).trim() + "' is not among the fields read ("
                        + String.join(",", fields) + "; CONTENT_FIELDS chooses them)");
            }
            if (given.containsKey(field)) {
                throw new IllegalArgumentException("field '" + field + "' is weighted twice");
            }
            given.put(field, weight(field, pair.substring(colon + 1).trim()));
        }
        List<TextRules.WeightedField> weighted = new ArrayList<>();
        for (String field : fields) {
            weighted.add(new TextRules.WeightedField(field, given.getOrDefault(field, 1.0)));
        }
        return weighted;
    }

    private static double weight(String field, String text) {
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("weight of " + field + " '" + text + "' is not a number");
        }
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException("weight of " + field + " must be a finite number > 0, got " + text
                    + " (to leave a field out, remove it from CONTENT_FIELDS)");
        }
        return value;
    }
}
