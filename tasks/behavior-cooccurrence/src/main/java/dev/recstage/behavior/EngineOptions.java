package dev.recstage.behavior;

import dev.recstage.core.cli.StageException;
import dev.recstage.core.config.Settings;
import dev.recstage.core.config.SimilarityConfig;
import dev.recstage.core.config.SwitchesConfig;
import java.util.Locale;

/**
 * How the top-K computation runs: worker threads, rows per block ({@code SIMILARITY_BATCH_SIZE},
 * 0 = {@code auto}: the largest block that fits the memory budget) and whether the full N×N
 * reference path replaces the engine ({@code USE_LEGACY_SIMILARITY=1}).
 */
public record EngineOptions(int threads, int batchSize, boolean legacy) {
    public static final int AUTO_BATCH = 0;

    public static EngineOptions of(SimilarityConfig similarity, SwitchesConfig switches, Integer threadsOption) {
        int threads = Settings.positive("--threads / SIMILARITY_THREADS",
                Settings.override(threadsOption, similarity.threads().orElse(Runtime.getRuntime().availableProcessors())));
        return new EngineOptions(threads, batchSize(similarity.batchSize()), switches.legacySimilarity().on());
    }

    static int batchSize(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("auto")) {
            return AUTO_BATCH;
        }
        try {
            return Settings.positive("SIMILARITY_BATCH_SIZE", Integer.parseInt(value));
        } catch (NumberFormatException e) {
            throw StageException.usage("SIMILARITY_BATCH_SIZE must be a positive integer or 'auto', got '" + text + "'");
        }
    }

    public boolean autoBatch() {
        return batchSize == AUTO_BATCH;
    }
}
