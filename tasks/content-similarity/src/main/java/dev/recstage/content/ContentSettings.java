package dev.recstage.content;

import dev.recstage.content.tfidf.DfBound;
import dev.recstage.content.tfidf.TfidfParameters;
import dev.recstage.core.cli.StageException;
import dev.recstage.core.config.Settings;
import dev.recstage.core.config.SimilarityConfig;
import dev.recstage.core.config.SwitchesConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The effective, validated settings of a run (command line over environment); any invalid value
 * is exit 2 with a message naming the setting.
 *
 * @param batchSize rows per block; empty means {@code auto}
 * @param shard     shard index, in [0, shards)
 */
public record ContentSettings(int topK, OptionalInt batchSize, int shard, int shards, int threads,
                              List<String> fields, double textWeight, double vectorWeight,
                              TfidfParameters tfidf, boolean legacy, boolean vectors) {
    static final Set<String> TEXT_FIELDS = Set.of("title", "description", "tags", "category");
    /** NeighborsWriter stores ranks as int16. */
    static final int MAX_TOP_K = Short.MAX_VALUE;

    /** Command-line values (null when not given) over the configuration. */
    public static ContentSettings resolve(Integer topK, String batchSize, String shard, Integer threads,
                                          SimilarityConfig similarity, SwitchesConfig switches,
                                          ContentConfig content, TfidfConfig tfidf) {
        int[] shardOf = parseShard(shard == null ? "0/1" : shard);
        int threadCount = Settings.positive("SIMILARITY_THREADS / --threads",
                Settings.override(threads, similarity.threads().orElse(Runtime.getRuntime().availableProcessors())));
        double textWeight = weight("CONTENT_TEXT_WEIGHT", content.textWeight());
        double vectorWeight = weight("CONTENT_VECTOR_WEIGHT", content.vectorWeight());
        requireBlendable(textWeight, vectorWeight);
        return new ContentSettings(topK(Settings.override(topK, similarity.topK())),
                parseBatchSize(Settings.override(batchSize, similarity.batchSize())),
                shardOf[0], shardOf[1], threadCount, parseFields(content.fields()), textWeight, vectorWeight,
                tfidf(tfidf), switches.legacySimilarity().on(), switches.faissRecall().on());
    }

    static OptionalInt parseBatchSize(String text) {
        String trimmed = text.trim();
        if (trimmed.equalsIgnoreCase("auto")) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Settings.positive("SIMILARITY_BATCH_SIZE / --batch-size", Integer.parseInt(trimmed)));
        } catch (NumberFormatException e) {
            throw StageException.usage("SIMILARITY_BATCH_SIZE / --batch-size must be a positive integer or 'auto', got '" + text + "'");
        }
    }

    /** {@code i/n} with {@code 0 ≤ i < n}; returns {i, n}. */
    static int[] parseShard(String text) {
        String[] parts = text.trim().split("/", -1);
        try {
            if (parts.length == 2) {
                int index = Integer.parseInt(parts[0].trim());
                int count = Integer.parseInt(parts[1].trim());
                if (count >= 1 && index >= 0 && index < count) {
                    return new int[] {index, count};
                }
            }
        } catch (NumberFormatException e) {
            // Reported below with the expected shape.
        }
        throw StageException.usage("--shard must be i/n with 0 <= i < n (e.g. 0/4 for the first of four shards), got '" + text + "'");
    }

    static List<String> parseFields(List<String> configured) {
        List<String> fields = new ArrayList<>();
        for (String field : configured) {
            String name = field.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (!TEXT_FIELDS.contains(name)) {
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

    static int topK(int value) {
        Settings.positive("SIMILARITY_TOP_K / --top-k", value);
        if (value > MAX_TOP_K) {
            throw StageException.usage("SIMILARITY_TOP_K / --top-k must be at most " + MAX_TOP_K + " (ranks are int16), got " + value);
        }
        return value;
    }

    static void requireBlendable(double textWeight, double vectorWeight) {
        if (textWeight == 0 && vectorWeight == 0) {
            throw StageException.usage("CONTENT_TEXT_WEIGHT and CONTENT_VECTOR_WEIGHT are both 0: give at least one a positive weight");
        }
    }

    public String batchDescription() {
        return batchSize.isPresent() ? Integer.toString(batchSize.getAsInt()) : "auto";
    }

    /** The effective configuration, for the manifest, under the public (environment) names. */
    public Map<String, String> describe() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("SIMILARITY_TOP_K", Integer.toString(topK));
        config.put("SIMILARITY_BATCH_SIZE", batchDescription());
        config.put("SIMILARITY_THREADS", Integer.toString(threads));
        config.put("shard", shard + "/" + shards);
        config.put("CONTENT_FIELDS", String.join(",", fields));
        config.put("CONTENT_TEXT_WEIGHT", Double.toString(textWeight));
        config.put("CONTENT_VECTOR_WEIGHT", Double.toString(vectorWeight));
        tfidf.describe().forEach((key, value) -> config.put("TFIDF_" + key.toUpperCase(Locale.ROOT), value));
        config.put("USE_LEGACY_SIMILARITY", legacy ? "1" : "0");
        config.put("USE_FAISS_RECALL", vectors ? "1" : "0");
        return config;
    }
}
