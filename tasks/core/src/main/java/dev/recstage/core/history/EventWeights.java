package dev.recstage.core.history;

import dev.recstage.core.cli.StageException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where an event's base weight comes from: a table by event type ({@code view:1,download:3}) or
 * the interaction row's own {@code weight} column ({@code row}, e.g. ratings).
 */
public final class EventWeights {
    public static final String DEFAULT_TABLE = "view:1,download:3,favorite:5,interaction:1";
    public static final String ROW = "row";
    private static final String SETTING = "BEHAVIOR_EVENT_WEIGHTS";

    /** Event type → weight, in the order written; null for row weights. */
    private final Map<String, Float> table;

    private EventWeights(Map<String, Float> table) {
        this.table = table;
    }

    public static EventWeights rowWeights() {
        return new EventWeights(null);
    }

    /** Parses {@code row} or {@code name:weight,…}; exit 2 naming the bad part. */
    public static EventWeights parse(String text) {
        String spec = text.trim();
        if (spec.toLowerCase(Locale.ROOT).equals(ROW)) {
            return rowWeights();
        }
        Map<String, Float> table = new LinkedHashMap<>();
        for (String entry : spec.split(",", -1)) {
            int colon = entry.indexOf(':');
            String name = colon < 0 ? "" : entry.substring(0, colon).trim();
            if (colon < 0 || name.isEmpty()) {
                throw malformed(text, "'" + entry.trim() + "' is not event:weight");
            }
            float weight = parseWeight(text, entry.substring(colon + 1).trim());
            if (table.put(name, weight) != null) {
                throw malformed(text, "event '" + name + "' is given twice");
            }
        }
        return new EventWeights(table);
    }

    private static float parseWeight(String text, String number) {
        float weight;
        try {
            weight = Float.parseFloat(number);
        } catch (NumberFormatException e) {
            throw malformed(text, "'" + number + "' is not a number");
        }
        if (!Float.isFinite(weight) || weight < 0) {
            throw malformed(text, "weight " + number + " must be a finite number >= 0 (0 ignores the event type)");
        }
        return weight;
    }

    private static StageException malformed(String text, String why) {
        return StageException.usage(SETTING + "='" + text + "' is malformed: " + why
                + " (expected 'row' or event:weight pairs such as " + DEFAULT_TABLE + ")");
    }

    public boolean fromRows() {
        return table == null;
    }

    /**
     * The weight of each event code, {@code eventNames} being the interactions' event dictionary;
     * null for row weights. Exit 2 when the data has an event type the table does not weigh.
     */
    public float[] byEventCode(List<String> eventNames) {
        if (fromRows()) {
            return null;
        }
        float[] weights = new float[eventNames.size()];
        for (int code = 0; code < weights.length; code++) {
            Float weight = table.get(eventNames.get(code));
            if (weight == null) {
                throw StageException.usage(SETTING + " has no weight for the event type '" + eventNames.get(code)
                        + "' of the interactions (their types: " + String.join(", ", eventNames)
                        + "); add it, e.g. " + eventNames.get(code) + ":1, or set " + SETTING + "=" + ROW);
            }
            weights[code] = weight;
        }
        return weights;
    }

    @Override
    public String toString() {
        return fromRows() ? ROW : table.entrySet().stream()
                .map(e -> e.getKey() + ":" + formatWeight(e.getValue()))
                .collect(Collectors.joining(","));
    }

    private static String formatWeight(float weight) {
        return weight == Math.rint(weight) ? Long.toString((long) weight) : Float.toString(weight);
    }
}
