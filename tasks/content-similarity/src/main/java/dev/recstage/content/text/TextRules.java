package dev.recstage.content.text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How an item's text becomes the counted terms of its document: the fields read and their
 * weights, and which tokens are dropped. A term's count in a document is
 * {@code Σ over fields weight · (occurrences in that field)}, so an integer weight w counts a
 * field as if its text were written w times (sklearn sees exactly that); its document frequency
 * is unchanged (a document contains the term or not). Weight 1 everywhere, no stop words and
 * digit tokens kept is the old system's analysis ({@link #sklearnEqual}).
 *
 * @param fields fields in the order they are read, each with its weight (> 0)
 */
public record TextRules(List<WeightedField> fields, StopWords stopWords, DigitTokens digitTokens) {
    /** Metadata and manifest keys ({@code CONTENT_} + upper case in the manifest). */
    static final String FIELD_WEIGHTS_KEY = "field_weights";
    static final String STOP_WORDS_KEY = "stop_words";
    static final String DIGIT_TOKENS_KEY = "digit_tokens";
    /** The item text fields the features stage writes. */
    public static final List<String> KNOWN_FIELDS = List.of("title", "description", "tags", "category");

    public record WeightedField(String name, double weight) {
    }

    /** {@code none}: every token counts (sklearn's default); {@code english}: Lucene's English stop set is dropped. */
    public enum StopWords { NONE, ENGLISH }

    /** What happens to tokens made only of digits (years, version numbers, counts). */
    public enum DigitTokens { KEEP, DROP }

    public TextRules {
        fields = List.copyOf(fields);
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("no fields");
        }
    }

    /** The old system's analysis of these fields: weight 1 each, no stop words, digit tokens kept. */
    public static TextRules sklearnEqual(List<String> fields) {
        return new TextRules(fields.stream().map(f -> new WeightedField(f, 1.0)).toList(), StopWords.NONE, DigitTokens.KEEP);
    }

    public List<String> fieldNames() {
        return fields.stream().map(WeightedField::name).toList();
    }

    /** The fields' weights, indexed as {@link #fieldNames}. */
    public double[] weights() {
        return fields.stream().mapToDouble(WeightedField::weight).toArray();
    }

    public double minWeight() {
        return fields.stream().mapToDouble(WeightedField::weight).min().orElseThrow();
    }

    public ContentAnalyzer analyzer() {
        return new ContentAnalyzer(stopWords, digitTokens);
    }

    /** As written into the model metadata; {@link #fromDescription} reads it back. */
    public Map<String, String> describe() {
        Map<String, String> map = new LinkedHashMap<>();
        List<String> weights = new ArrayList<>();
        for (WeightedField field : fields) {
            weights.add(field.name() + ":" + formatWeight(field.weight()));
        }
        map.put(FIELD_WEIGHTS_KEY, String.join(",", weights));
        map.put(STOP_WORDS_KEY, stopWords.name().toLowerCase(Locale.ROOT));
        map.put(DIGIT_TOKENS_KEY, digitTokens.name().toLowerCase(Locale.ROOT));
        return map;
    }

    /** The manifest's entries, under the environment names. */
    public Map<String, String> describeSettings() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("CONTENT_FIELDS", String.join(",", fieldNames()));
        describe().forEach((key, value) -> map.put("CONTENT_" + key.toUpperCase(Locale.ROOT), value));
        return map;
    }

    /**
     * Reads {@link #describe}'s keys back; {@code null} when none is present (a model written
     * before the rules were recorded).
     *
     * @throws IllegalArgumentException naming the bad key and value
     */
    public static TextRules fromDescription(Map<String, String> description) {
        String weights = description.get(FIELD_WEIGHTS_KEY);
        String stop = description.get(STOP_WORDS_KEY);
        String digits = description.get(DIGIT_TOKENS_KEY);
        if (weights == null && stop == null && digits == null) {
            return null;
        }
        if (weights == null || stop == null || digits == null) {
            throw new IllegalArgumentException("needs all of " + FIELD_WEIGHTS_KEY + ", " + STOP_WORDS_KEY + ", " + DIGIT_TOKENS_KEY);
        }
        List<String> names = new ArrayList<>();
        for (String entry : weights.split(",")) {
            String name = entry.substring(0, Math.max(entry.indexOf(':'), 0));
            if (!KNOWN_FIELDS.contains(name)) {
                throw new IllegalArgumentException(FIELD_WEIGHTS_KEY + "=" + weights + ": unknown field '" + name + "'");
            }
            names.add(name);
        }
        return new TextRules(FieldWeights.parse(weights, names), choice(StopWords.class, STOP_WORDS_KEY, stop),
                choice(DigitTokens.class, DIGIT_TOKENS_KEY, digits));
    }

    /** One of an enum's values, written in any case. */
    public static <E extends Enum<E>> E choice(Class<E> type, String name, String text) {
        for (E value : type.getEnumConstants()) {
            if (value.name().equalsIgnoreCase(text.trim())) {
                return value;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E value : type.getEnumConstants()) {
            allowed.add(value.name().toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException(name + "=" + text + ": choose " + String.join(" or ", allowed));
    }

    /** {@code 2} rather than {@code 2.0}; other values as {@link Double#toString} writes them (parsed back exactly). */
    static String formatWeight(double weight) {
        return weight == Math.rint(weight) && Math.abs(weight) < 1e15 ? Long.toString((long) weight) : Double.toString(weight);
    }
}
