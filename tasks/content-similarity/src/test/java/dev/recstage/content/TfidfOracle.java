package dev.recstage.content;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * TF-IDF from its definition (sklearn's TfidfVectorizer with smooth idf and L2 rows), in double
 * precision, sharing no code with the stage: documents are lists of tokens; settings as sklearn's
 * min_df, max_df (an Integer counts documents, a Double is a share), max_features, sublinear_tf.
 */
final class TfidfOracle {
    record Settings(Number minDf, Number maxDf, Integer maxFeatures, boolean sublinearTf) {
        double documents(Number bound, int n) {
            return bound instanceof Integer count ? count : bound.doubleValue() * n;
        }
    }

    /** The fitted vocabulary in code-point order (ASCII tokens here), with df and idf. */
    final TreeMap<String, Integer> df = new TreeMap<>();
    final Map<String, Double> idf = new HashMap<>();
    final List<Map<String, Double>> rows = new ArrayList<>();

    TfidfOracle(List<List<String>> documents, Settings settings) {
        int n = documents.size();
        Map<String, Integer> allDf = new HashMap<>();
        Map<String, Long> corpusCount = new HashMap<>();
        for (List<String> document : documents) {
            for (String term : document) {
                corpusCount.merge(term, 1L, Long::sum);
            }
            document.stream().distinct().forEach(term -> allDf.merge(term, 1, Integer::sum));
        }
        double minDocs = settings.documents(settings.minDf(), n);
        double maxDocs = settings.documents(settings.maxDf(), n);
        List<String> kept = new ArrayList<>(allDf.keySet().stream().filter(t -> allDf.get(t) >= minDocs && allDf.get(t) <= maxDocs).sorted().toList());
        if (settings.maxFeatures() != null && kept.size() > settings.maxFeatures()) {
            // The most frequent in the corpus; ties to the earlier term (sklearn leaves them unspecified).
            kept.sort((a, b) -> corpusCount.get(a).equals(corpusCount.get(b)) ? a.compareTo(b) : Long.compare(corpusCount.get(b), corpusCount.get(a)));
            kept = kept.subList(0, settings.maxFeatures());
        }
        for (String term : kept) {
            df.put(term, allDf.get(term));
            idf.put(term, Math.log((1.0 + n) / (1.0 + allDf.get(term))) + 1.0);
        }
        for (List<String> document : documents) {
            Map<String, Integer> counts = new HashMap<>();
            document.stream().filter(df::containsKey).forEach(term -> counts.merge(term, 1, Integer::sum));
            Map<String, Double> row = new HashMap<>();
            counts.forEach((term, count) -> row.put(term, (settings.sublinearTf() ? 1.0 + Math.log(count) : count) * idf.get(term)));
            double norm = Math.sqrt(row.values().stream().mapToDouble(w -> w * w).sum());
            row.replaceAll((term, weight) -> weight / norm);
            rows.add(row);
        }
    }

    double cosine(int a, int b) {
        Map<String, Double> x = rows.get(a);
        Map<String, Double> y = rows.get(b);
        double dot = 0;
        for (Map.Entry<String, Double> entry : x.entrySet()) {
            dot += entry.getValue() * y.getOrDefault(entry.getKey(), 0.0);
        }
        return dot;
    }
}
