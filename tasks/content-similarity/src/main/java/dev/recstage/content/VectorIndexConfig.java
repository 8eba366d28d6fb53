package dev.recstage.content;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** {@code VECTOR_INDEX}, {@code VECTOR_HNSW_M}, {@code VECTOR_HNSW_EF_CONSTRUCTION}, {@code VECTOR_HNSW_EF_SEARCH}. */
@ConfigMapping(prefix = "vector")
public interface VectorIndexConfig {
    /** {@code auto}, {@code exact} or {@code hnsw}: how the vector neighbours are found. */
    @WithDefault("auto")
    String index();

    /** HNSW neighbours per node (2m on the bottom level). */
    @WithName("hnsw-m")
    @WithDefault("16")
    int hnswM();

    /** HNSW beam width while building. */
    @WithName("hnsw-ef-construction")
    @WithDefault("100")
    int hnswEfConstruction();

    /** HNSW beam width of each item's search; at least SIMILARITY_TOP_K. */
    @WithName("hnsw-ef-search")
    @WithDefault("400")
    int hnswEfSearch();
}
