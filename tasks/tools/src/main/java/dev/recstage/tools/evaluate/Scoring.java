package dev.recstage.tools.evaluate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every figure of one list set against the held-out part, at each k. */
public final class Scoring {
    /** The cut-offs evaluate reports; lists are asked for the largest. */
    public static final List<Integer> KS = List.of(10, 20);

    private final HeldOut heldOut;
    private final double[] percentiles;

    public Scoring(HeldOut heldOut) {
        this.heldOut = heldOut;
        this.percentiles = CatalogueMetrics.popularityPercentiles(heldOut.popularity());
    }

    public static int listLength() {
        return KS.get(KS.size() - 1);
    }

    public Map<String, Evaluation.AtK> score(int[][] lists) {
        Map<String, Evaluation.AtK> byK = new LinkedHashMap<>();
        for (int k : KS) {
            RankingMetrics.Scores s = RankingMetrics.at(k, heldOut.relevant(), lists);
            byK.put(Integer.toString(k), new Evaluation.AtK(s.precision(), s.recall(), s.ndcg(), s.map(), s.hitRate(),
                    CatalogueMetrics.coverage(k, lists, percentiles.length),
                    CatalogueMetrics.meanPopularityPercentile(k, lists, percentiles), s.commonUsers(), s.truthUsers()));
        }
        return byK;
    }
}
