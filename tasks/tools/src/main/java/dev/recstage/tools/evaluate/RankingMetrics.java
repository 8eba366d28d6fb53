package dev.recstage.tools.evaluate;

/**
 * Ranking metrics at k with binary relevance, defined exactly as Microsoft Recommenders 1.2.1's
 * {@code recommenders.evaluation.python_evaluation} ({@code precision_at_k}, {@code recall_at_k},
 * {@code ndcg_at_k}, {@code map_at_k}, relevancy method {@code top_k}), so that the figures can be
 * compared with its peers on the same lists:
 * <ul>
 * <li>Users counted ("common users"): those in the truth that also have a list. Precision, recall,
 * MAP and hit rate are sums over them divided by their number.
 * <li>precision = hits in the top k / k (a list shorter than k is not padded: its precision stays below 1).
 * <li>recall = hits / relevant items of the user.
 * <li>MAP = Σ over hits of (hits so far / rank), divided by min(relevant, k).
 * <li>NDCG: DCG = Σ over hits of 1 / ln(1 + rank); ideal DCG = Σ for i = 1..min(relevant, k) of
 * 1 / ln(1 + i). Recommenders averages it over every user of the truth (its final outer merge
 * with the whole truth), so a truth user without a list counts 0 here while the other metrics skip
 * such a user.
 * <li>No hit at all for anyone: every metric is 0 (Recommenders returns 0.0 early).
 * </ul>
 * Hit rate (share of common users with at least one hit in the top k) is not in Recommenders.
 * Relevant items are distinct: give Recommenders the truth de-duplicated on (user, item).
 */
public final class RankingMetrics {
    private RankingMetrics() {
    }

    public record Scores(double precision, double recall, double ndcg, double map, double hitRate,
                         int truthUsers, int commonUsers) {
    }

    /**
     * @param relevant per user the distinct relevant items, null or empty for a user outside the truth
     * @param lists    per user the recommended items best first (distinct), null for a user without a list
     */
    public static Scores at(int k, int[][] relevant, int[][] lists) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        if (relevant.length != lists.length) {
            throw new IllegalArgumentException("truth and lists must cover the same users");
        }
        double precision = 0;
        double recall = 0;
        double ndcg = 0;
        double map = 0;
        int hitUsers = 0;
        int truthUsers = 0;
        int common = 0;
        long hitsOverall = 0;
        for (int u = 0; u < relevant.length; u++) {
            int[] truth = relevant[u];
            if (truth == null || truth.length == 0) {
                continue;
            }
            truthUsers++;
            int[] list = lists[u];
            if (list == null) {
                continue;
            }
            common++;
            int hits = 0;
            double dcg = 0;
            double precisionSum = 0;
            for (int r = 0; r < Math.min(k, list.length); r++) {
                if (contains(truth, list[r])) {
                    hits++;
                    int rank = r + 1;
                    dcg += 1 / Math.log(1 + rank);
                    precisionSum += (double) hits / rank;
                }
            }
            if (hits == 0) {
                continue;
            }
            hitsOverall += hits;
            hitUsers++;
            int ideal = Math.min(truth.length, k);
            precision += (double) hits / k;
            recall += (double) hits / truth.length;
            map += precisionSum / ideal;
            ndcg += dcg / idealDcg(ideal);
        }
        if (hitsOverall == 0) {
            return new Scores(0, 0, 0, 0, 0, truthUsers, common);
        }
        return new Scores(precision / common, recall / common, ndcg / truthUsers, map / common,
                (double) hitUsers / common, truthUsers, common);
    }

    private static double idealDcg(int n) {
        double sum = 0;
        for (int i = 1; i <= n; i++) {
            sum += 1 / Math.log(1 + i);
        }
        return sum;
    }

    /** Linear search: a user's relevant items are few; callers may pass them in any order. */
    private static boolean contains(int[] items, int item) {
        for (int candidate : items) {
            if (candidate == item) {
                return true;
            }
        }
        return false;
    }
}
