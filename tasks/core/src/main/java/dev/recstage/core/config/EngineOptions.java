package dev.recstage.core.config;

import dev.recstage.core.cli.StageException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * How a similarity stage runs its top-K computation: worker threads ({@code --threads}, else
 * {@code SIMILARITY_THREADS}, else the available processors), rows per block ({@code --batch-size},
 * else {@code SIMILARITY_BATCH_SIZE}; {@code auto} = the largest block that fits the memory
 * budget) and whether the full N×N reference path replaces the engine ({@code USE_LEGACY_SIMILARITY=1}).
 *
 * @param batchSize rows per block; empty means {@code auto}
 */
public record EngineOptions(int threads, OptionalInt batchSize, boolean legacy) {
    static final String THREADS = "--threads / SIMILARITY_THREADS";
    static final String BATCH_SIZE = "--batch-size / SIMILARITY_BATCH_SIZE";

    /** Command-line values (null when not given) over the configuration; a bad value is exit 2. */
    public static EngineOptions of(SimilarityConfig similarity, SwitchesConfig switches, Integer threadsOption, String batchOption) {
        int threads = Settings.positive(THREADS,
                Settings.override(threadsOption, similarity.threads().orElse(Runtime.getRuntime().availableProcessors())));
        OptionalInt batchSize = batchSize(Settings.override(batchOption, similarity.batchSize()));
        return new EngineOptions(threads, batchSize, switches.legacySimilarity().on());
    }

    /** A positive row count, or {@code auto} (any case) as empty. */
    static OptionalInt batchSize(String text) {
        String trimmed = text.trim();
        if (trimmed.equalsIgnoreCase("auto")) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Settings.positive(BATCH_SIZE, Integer.parseInt(trimmed)));
        } catch (NumberFormatException e) {
            throw StageException.usage(BATCH_SIZE + " must be a positive integer or 'auto', got '" + text + "'");
        }
    }

    /** The batch size as configured: the number, or {@code auto}. */
    public String batchDescription() {
        return batchSize.isPresent() ? Integer.toString(batchSize.getAsInt()) : "auto";
    }

    /** These settings under their public (environment) names, for the manifest. */
    public Map<String, String> describe() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("SIMILARITY_BATCH_SIZE", batchDescription());
        config.put("SIMILARITY_THREADS", Integer.toString(threads));
        config.put("USE_LEGACY_SIMILARITY", legacy ? "1" : "0");
        return config;
    }
}
