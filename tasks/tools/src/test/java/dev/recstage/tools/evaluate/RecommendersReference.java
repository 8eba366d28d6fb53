package dev.recstage.tools.evaluate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The brute-force oracle of {@link RankingMetrics}: Recommenders 1.2.1's data-frame steps replayed
 * row by row (common users, top-k by prediction, inner join with the truth, hit and actual counts,
 * the reciprocal ranks of map_at_k, and ndcg_at_k's outer merge with the whole truth).
 */
final class RecommendersReference {
    record Truth(int user, int item) {
    }

    record Prediction(int user, int item, double prediction) {
    }

    private record Hit(int user, int item, int rank) {
    }

    private RecommendersReference() {
    }

    static double[] metrics(List<Truth> truth, List<Prediction> predictions, int k) {
        Set<Integer> common = new HashSet<>();
        for (Truth t : truth) {
            common.add(t.user());
        }
        Set<Integer> predicted = new HashSet<>();
        for (Prediction p : predictions) {
            predicted.add(p.user());
        }
        common.retainAll(predicted);
        int nUsers = common.size();

        // get_top_k_items: sort by user, prediction descending; head(k) per user; rank = cumcount + 1.
        List<Prediction> sorted = new ArrayList<>(predictions.stream().filter(p -> common.contains(p.user())).toList());
        sorted.sort(Comparator.comparingInt(Prediction::user).thenComparing(Prediction::prediction, Comparator.reverseOrder()));
        List<Hit> hits = new ArrayList<>();
        Map<Integer, Integer> seen = new HashMap<>();
        for (Prediction p : sorted) {
            int rank = seen.merge(p.user(), 1, Integer::sum);
            if (rank <= k && truth.contains(new Truth(p.user(), p.item()))) {
                hits.add(new Hit(p.user(), p.item(), rank));
            }
        }
        if (hits.isEmpty()) {
            return new double[] {0, 0, 0, 0};
        }
        Map<Integer, Integer> hitCount = new LinkedHashMap<>();
        for (Hit h : hits) {
            hitCount.merge(h.user(), 1, Integer::sum);
        }
        Map<Integer, Integer> actual = new HashMap<>();
        for (Truth t : truth) {
            if (common.contains(t.user())) {
                actual.merge(t.user(), 1, Integer::sum);
            }
        }
        double precision = 0;
        double recall = 0;
        for (Map.Entry<Integer, Integer> e : hitCount.entrySet()) {
            precision += e.getValue() / (double) k;
            recall += e.getValue() / (double) actual.get(e.getKey());
        }
        Map<Integer, Double> reciprocal = new HashMap<>();
        Map<Integer, Integer> cumcount = new HashMap<>();
        for (Hit h : hits) {
            int n = cumcount.merge(h.user(), 1, Integer::sum);
            reciprocal.merge(h.user(), n / (double) h.rank(), Double::sum);
        }
        double map = 0;
        for (Map.Entry<Integer, Double> e : reciprocal.entrySet()) {
            map += e.getValue() / Math.min(actual.get(e.getKey()), k);
        }

        // ndcg_at_k: one row per truth row of every user (the outer merge); hits carry their rank.
        Map<Integer, Double> dcg = new LinkedHashMap<>();
        Map<Integer, Integer> truthRows = new LinkedHashMap<>();
        for (Truth t : truth) {
            double gain = 0;
            for (Hit h : hits) {
                if (h.user() == t.user() && h.item() == t.item()) {
                    gain = 1 / Math.log(1 + h.rank());
                }
            }
            dcg.merge(t.user(), gain, Double::sum);
            truthRows.merge(t.user(), 1, Integer::sum);
        }
        double ndcgSum = 0;
        for (Map.Entry<Integer, Double> e : dcg.entrySet()) {
            double idcg = 0;
            for (int irank = 1; irank <= Math.min(truthRows.get(e.getKey()), k); irank++) {
                idcg += 1 / Math.log(1 + irank);
            }
            ndcgSum += e.getValue() / idcg;
        }
        return new double[] {precision / nUsers, recall / nUsers, ndcgSum / dcg.size(), map / nUsers};
    }
}
