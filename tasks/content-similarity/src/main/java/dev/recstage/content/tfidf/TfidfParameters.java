package dev.recstage.content.tfidf;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * sklearn {@code TfidfVectorizer} settings this stage supports; the others are fixed at sklearn's
 * defaults (lower-case, no accent stripping, smooth idf, l2 norm, no stop words).
 *
 * @param maxFeatures keep only the terms with the highest corpus term frequency; empty = all
 */
public record TfidfParameters(DfBound minDf, DfBound maxDf, boolean sublinearTf, OptionalInt maxFeatures) {

    public static TfidfParameters defaults() {
        return new TfidfParameters(DfBound.parse("TFIDF_MIN_DF", "1"), DfBound.parse("TFIDF_MAX_DF", "1.0"), false, OptionalInt.empty());
    }

    /** As written into the manifest and the model metadata. */
    public Map<String, String> describe() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("min_df", minDf.text());
        map.put("max_df", maxDf.text());
        map.put("sublinear_tf", Boolean.toString(sublinearTf));
        map.put("max_features", maxFeatures.isPresent() ? Integer.toString(maxFeatures.getAsInt()) : "none");
        return map;
    }

    /** The term-frequency factor of a term with this (weighted) count in a document; with sublinear tf the count must be at least 1. */
    public double termFrequency(double count) {
        return sublinearTf ? 1.0 + Math.log(count) : count;
    }
}
