package dev.recstage.core.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.Optional;

/**
 * Settings shared by both similarity stages; environment variables are the public names
 * ({@code SIMILARITY_BATCH_SIZE}, {@code SIMILARITY_TOP_K}, {@code SIMILARITY_THREADS}).
 */
@ConfigMapping(prefix = "similarity")
public interface SimilarityConfig {
    /** Rows per block, or {@code auto}: the largest block that fits the memory budget. */
    @WithName("batch-size")
    @WithDefault("1000")
    String batchSize();

    /** Neighbours kept per item. */
    @WithName("top-k")
    @WithDefault("200")
    int topK();

    /** Worker threads; default: available processors. */
    Optional<Integer> threads();
}
