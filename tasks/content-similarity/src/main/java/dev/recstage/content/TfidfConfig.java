package dev.recstage.content;

import dev.recstage.core.config.Flag;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.Optional;

/**
 * sklearn {@code TfidfVectorizer} settings: {@code TFIDF_MIN_DF}, {@code TFIDF_MAX_DF} (an
 * integer is a document count, a decimal a proportion), {@code TFIDF_SUBLINEAR_TF},
 * {@code TFIDF_MAX_FEATURES}. Defaults are sklearn's.
 */
@ConfigMapping(prefix = "tfidf")
public interface TfidfConfig {
    @WithName("min-df")
    @WithDefault("1")
    String minDf();

    @WithName("max-df")
    @WithDefault("1.0")
    String maxDf();

    @WithName("sublinear-tf")
    @WithDefault("0")
    Flag sublinearTf();

    @WithName("max-features")
    Optional<Integer> maxFeatures();
}
