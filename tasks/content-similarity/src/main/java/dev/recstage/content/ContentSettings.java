package dev.recstage.content;

import dev.recstage.content.text.FieldWeights;
import dev.recstage.content.text.TextRules;
import dev.recstage.content.tfidf.DfBound;
import dev.recstage.content.tfidf.TfidfModel;
import dev.recstage.content.tfidf.TfidfParameters;
import dev.recstage.core.cli.StageException;
import dev.recstage.core.config.EngineOptions;
import dev.recstage.core.config.Settings;
import dev.recstage.core.config.Shard;
import dev.recstage.core.config.SimilarityConfig;
import dev.recstage.core.config.SimilarityOptions;
import dev.recstage.core.config.SwitchesConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The effective, validated settings of a run (command line over environment); any invalid value
 * is exit 2 with a message naming the setting.
 */
public record ContentSettings(int topK, EngineOptions engine, Shard shard, TextRules text, double textWeight,
                              double vectorWeight, TfidfParameters tfidf, boolean vectors, VectorIndexSettings vectorIndex) {

    /** Command-line values (null when not given) over the configuration. */
    public static ContentSettings resolve(Integer topK, SimilarityOptions options, SimilarityConfig similarity,
                                          SwitchesConfig switches, ContentConfig content, TfidfConfig tfidf,
                                          VectorIndexConfig vectorIndex) {
        int k = Settings.topK("--top-k / SIMILARITY_TOP_K", Settings.override(topK, similarity.topK()));
        EngineOptions engine = options.engine(similarity, switches);
        Shard rows = options.shard();
        double textWeight = weight("CONTENT_TEXT_WEIGHT", content.textWeight());
        double vectorWeight = weight("CONTENT_VECTOR_WEIGHT", content.vectorWeight());
        requireBlendable(textWeight, vectorWeight);
        TfidfParameters parameters = tfidf(tfidf);
        return new ContentSettings(k, engine, rows, textRules(content, parameters), textWeight, vectorWeight, parameters,
                switches.faissRecall().on(), VectorIndexSettings.resolve(vectorIndex, k));
    }

    /** The same run scored with a saved model: its text rules and TF-IDF parameters replace the configured ones. */
    public ContentSettings scoredWith(TfidfModel model) {
        return new ContentSettings(topK, engine, shard, model.rules(), textWeight, vectorWeight, model.parameters(), vectors, vectorIndex);
    }

    static TextRules textRules(ContentConfig content, TfidfParameters tfidf) {
        List<String> fields = parseFields(content.fields());
        String weights = content.fieldWeights().orElse("");
        List<TextRules.WeightedField> weighted;
        try {
            weighted = FieldWeights.parse(weights, fields);
        } catch (IllegalArgumentException e) {
            throw StageException.usage("CONTENT_FIELD_WEIGHTS=" + weights + ": " + e.getMessage());
        }
        TextRules rules = new TextRules(weighted, choice(TextRules.StopWords.class, "CONTENT_STOP_WORDS", content.stopWords()),
                choice(TextRules.DigitTokens.class, "CONTENT_DIGIT_TOKENS", content.digitTokens()));
        if (tfidf.sublinearTf() && rules.minWeight() < 1) {
            throw StageException.usage("CONTENT_FIELD_WEIGHTS=" + weights + " with TFIDF_SUBLINEAR_TF=1: "
                    + "every weight must be at least 1, since 1 + ln(count) turns negative for a weighted count below 1");
        }
        return rules;
    }

    static List<String> parseFields(List<String> configured) {
        List<String> fields = new ArrayList<>();
        for (String field : configured) {
            String name = field.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (!TextRules.KNOWN_FIELDS.contains(name)) {
                throw StageException.usage("CONTENT_FIELDS: unknown field '" + field + "' (choose among title, description, tags, category)");
            }
            if (!fields.contains(name)) {
                fields.add(name);
            }
        }
        if (fields.isEmpty()) {
            throw StageException.usage("CONTENT_FIELDS is empty: name at least one of title, description, tags, category");
        }
        return List.copyOf(fields);
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String name, String text) {
        try {
            return TextRules.choice(type, name, text);
        } catch (IllegalArgumentException e) {
            throw StageException.usage(e.getMessage());
        }
    }

    static double weight(String name, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw StageException.usage(name + " must be a finite number >= 0, got " + value);
        }
        return value;
    }

    static TfidfParameters tfidf(TfidfConfig config) {
        OptionalInt maxFeatures = OptionalInt.empty();
        if (config.maxFeatures().isPresent()) {
            maxFeatures = OptionalInt.of(Settings.positive("TFIDF_MAX_FEATURES", config.maxFeatures().get()));
        }
        return new TfidfParameters(DfBound.parse("TFIDF_MIN_DF", config.minDf()), DfBound.parse("TFIDF_MAX_DF", config.maxDf()),
                config.sublinearTf().on(), maxFeatures);
    }

    static void requireBlendable(double textWeight, double vectorWeight) {
        if (textWeight == 0 && vectorWeight == 0) {
            throw StageException.usage("CONTENT_TEXT_WEIGHT and CONTENT_VECTOR_WEIGHT are both 0: give at least one a positive weight");
        }
    }

    /** The effective configuration, for the manifest, under the public (environment) names. */
    public Map<String, String> describe() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("SIMILARITY_TOP_K", Integer.toString(topK));
        config.putAll(engine.describe());
        config.put("shard", shard.toString());
        config.putAll(text.describeSettings());
        config.put("CONTENT_TEXT_WEIGHT", Double.toString(textWeight));
        config.put("CONTENT_VECTOR_WEIGHT", Double.toString(vectorWeight));
        tfidf.describe().forEach((key, value) -> config.put("TFIDF_" + key.toUpperCase(Locale.ROOT), value));
        config.put("USE_FAISS_RECALL", vectors ? "1" : "0");
        if (vectors) {
            config.putAll(vectorIndex.describe());
        }
        return config;
    }
}
