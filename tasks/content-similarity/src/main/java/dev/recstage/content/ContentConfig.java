package dev.recstage.content;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.List;

/** {@code CONTENT_FIELDS}, {@code CONTENT_TEXT_WEIGHT}, {@code CONTENT_VECTOR_WEIGHT}. */
@ConfigMapping(prefix = "content")
public interface ContentConfig {
    /** Item text fields that make an item's document, comma-separated. */
    @WithDefault("title,description,tags,category")
    List<String> fields();

    /** Weight of the TF-IDF cosine in content_neighbors when vectors are blended in. */
    @WithName("text-weight")
    @WithDefault("0.7")
    double textWeight();

    /** Weight of the embedding cosine in content_neighbors when vectors are blended in. */
    @WithName("vector-weight")
    @WithDefault("0.3")
    double vectorWeight();
}
