package dev.recstage.tools.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.recstage.tools.evaluate.RankingMetrics.Scores;
import dev.recstage.tools.evaluate.RecommendersReference.Prediction;
import dev.recstage.tools.evaluate.RecommendersReference.Truth;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {
    private static final double EXACT = 1e-12;

    @Test
    void handComputedListsOfThreeUsers() {
        // User 0 finds item 1 at rank 1 of 2; user 1 finds nothing; user 2 has no list.
        int[][] relevant = {{1, 2, 3}, {9}, {5}};
        int[][] lists = {{1, 4, 2, 5}, {7, 8}, null};
        Scores at2 = RankingMetrics.at(2, relevant, lists);
        assertEquals(3, at2.truthUsers());
        assertEquals(2, at2.commonUsers());
        assertEquals((1 / 2.0) / 2, at2.precision(), EXACT);
        assertEquals((1 / 3.0) / 2, at2.recall(), EXACT);
        assertEquals((1.0 / Math.min(3, 2)) / 2, at2.map(), EXACT);
        assertEquals(0.5, at2.hitRate(), EXACT);
        double ndcgUser0 = (1 / Math.log(2)) / (1 / Math.log(2) + 1 / Math.log(3));
        assertEquals(0.6131471927654584, ndcgUser0, EXACT);
        // Recommenders averages NDCG over the three truth users, the others over the two with a list.
        assertEquals(ndcgUser0 / 3, at2.ndcg(), EXACT);

        // At 4, user 0 also finds item 2 at rank 3.
        Scores at4 = RankingMetrics.at(4, relevant, lists);
        assertEquals((2 / 4.0) / 2, at4.precision(), EXACT);
        assertEquals((2 / 3.0) / 2, at4.recall(), EXACT);
        assertEquals(((1 / 1.0 + 2 / 3.0) / 3) / 2, at4.map(), EXACT);
        double dcg = 1 / Math.log(2) + 1 / Math.log(4);
        double idcg = 1 / Math.log(2) + 1 / Math.log(3) + 1 / Math.log(4);
        assertEquals((dcg / idcg) / 3, at4.ndcg(), EXACT);
    }

    @Test
    void averagePrecisionDividesByTheSmallerOfRelevantAndK() {
        int[][] relevant = {{10, 11}};
        int[][] lists = {{99, 10, 11}};
        Scores at3 = RankingMetrics.at(3, relevant, lists);
        assertEquals((1 / 2.0 + 2 / 3.0) / 2, at3.map(), EXACT);
        assertEquals(2 / 3.0, at3.precision(), EXACT);
        assertEquals(1.0, at3.recall(), EXACT);
        assertEquals((1 / Math.log(3) + 1 / Math.log(4)) / (1 / Math.log(2) + 1 / Math.log(3)), at3.ndcg(), EXACT);
    }

    @Test
    void shortListsAreNotPaddedAndNoHitAtAllIsZero() {
        Scores shortList = RankingMetrics.at(10, new int[][] {{1}}, new int[][] {{1}});
        assertEquals(0.1, shortList.precision(), EXACT);
        assertEquals(1.0, shortList.ndcg(), EXACT);
        assertEquals(1.0, shortList.map(), EXACT);

        Scores none = RankingMetrics.at(5, new int[][] {{1}, {2}}, new int[][] {{3}, {4}});
        assertEquals(new Scores(0, 0, 0, 0, 0, 2, 2), none);
        assertThrows(IllegalArgumentException.class, () -> RankingMetrics.at(0, new int[][] {{1}}, new int[][] {{1}}));
    }

    @Test
    void equalsRecommendersStepsOnRandomLists() {
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 400; round++) {
            int users = 1 + random.nextInt(12);
            int items = 2 + random.nextInt(30);
            int k = 1 + random.nextInt(8);
            int[][] relevant = new int[users][];
            int[][] lists = new int[users][];
            List<Truth> truth = new ArrayList<>();
            List<Prediction> predictions = new ArrayList<>();
            for (int u = 0; u < users; u++) {
                if (random.nextInt(5) > 0) {
                    relevant[u] = distinct(random, items, 1 + random.nextInt(Math.min(items, 10)));
                    for (int item : relevant[u]) {
                        truth.add(new Truth(u, item));
                    }
                }
                if (random.nextInt(5) > 0) {
                    lists[u] = distinct(random, items, 1 + random.nextInt(Math.min(items, 15)));
                    for (int r = 0; r < lists[u].length; r++) {
                        predictions.add(new Prediction(u, lists[u][r], lists[u].length - r)); // best first
                    }
                }
            }
            Scores scores = RankingMetrics.at(k, relevant, lists);
            double[] expected = RecommendersReference.metrics(truth, predictions, k);
            String where = "round " + round;
            assertEquals(expected[0], scores.precision(), 1e-12, where);
            assertEquals(expected[1], scores.recall(), 1e-12, where);
            assertEquals(expected[2], scores.ndcg(), 1e-12, where);
            assertEquals(expected[3], scores.map(), 1e-12, where);
        }
    }

    private static int[] distinct(SplittableRandom random, int bound, int count) {
        int[] all = new int[bound];
        for (int i = 0; i < bound; i++) {
            all[i] = i;
        }
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(bound - i);
            int swap = all[i];
            all[i] = all[j];
            all[j] = swap;
        }
        return java.util.Arrays.copyOf(all, count);
    }
}
