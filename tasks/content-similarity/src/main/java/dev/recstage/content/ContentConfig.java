package dev.recstage.content;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.List;
import java.util.Optional;

/**
 * {@code CONTENT_FIELDS}, {@code CONTENT_FIELD_WEIGHTS}, {@code CONTENT_STOP_WORDS},
 * {@code CONTENT_DIGIT_TOKENS}, {@code CONTENT_TEXT_WEIGHT}, {@code CONTENT_VECTOR_WEIGHT}.
 */
@ConfigMapping(prefix = "content")
public interface ContentConfig {
    /** Item text fields that make an item's document, comma-separated. */
    @WithDefault("title,description,tags,category")
    List<String> fields();

    /** {@code field:weight} pairs, e.g. {@code tags:2,category:2}; a field not named weighs 1. Empty: all 1. */
    @WithName("field-weights")
    Optional<String> fieldWeights();

    /** {@code none} (sklearn's default) or {@code english} (Lucene's English stop set). */
    @WithName("stop-words")
    @WithDefault("none")
    String stopWords();

    /** {@code keep} (sklearn's default) or {@code drop}: tokens made only of digits, such as years. */
    @WithName("digit-tokens")
    @WithDefault("keep")
    String digitTokens();

    /** Weight of the TF-IDF cosine in content_neighbors when vectors are blended in. */
    @WithName("text-weight")
    @WithDefault("0.7")
    double textWeight();

    /** Weight of the embedding cosine in content_neighbors when vectors are blended in. */
    @WithName("vector-weight")
    @WithDefault("0.3")
    double vectorWeight();
}
