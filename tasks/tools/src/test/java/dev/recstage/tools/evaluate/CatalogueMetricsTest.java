package dev.recstage.tools.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CatalogueMetricsTest {
    @Test
    void coverageCountsDistinctItemsInTheTopK() {
        int[][] lists = {{0, 1, 2}, {1, 3, 4}, null};
        assertEquals(2 / 10.0, CatalogueMetrics.coverage(1, lists, 10), 1e-15); // {0, 1}
        assertEquals(5 / 10.0, CatalogueMetrics.coverage(3, lists, 10), 1e-15); // {0, 1, 2, 3, 4}
        assertEquals(0.0, CatalogueMetrics.coverage(3, new int[][] {null}, 10), 1e-15);
    }

    @Test
    void percentilesAreScipysMeanKind() {
        // popularity 0, 0, 1, 5: "mean" percentile of 0 is (0 + 0.5 * 2) / 4 = 25 %.
        assertArrayEquals(new double[] {25, 25, 62.5, 87.5}, CatalogueMetrics.popularityPercentiles(new int[] {0, 0, 1, 5}), 1e-12);
        SplittableRandom random = new SplittableRandom(3);
        int[] popularity = new int[200];
        for (int i = 0; i < popularity.length; i++) {
            popularity[i] = random.nextInt(20);
        }
        double[] percentiles = CatalogueMetrics.popularityPercentiles(popularity);
        for (int i = 0; i < popularity.length; i++) {
            int less = 0;
            int equal = 0;
            for (int p : popularity) {
                less += p < popularity[i] ? 1 : 0;
                equal += p == popularity[i] ? 1 : 0;
            }
            assertEquals(100.0 * (less + 0.5 * equal) / popularity.length, percentiles[i], 1e-12);
        }
        int[][] lists = {{0, 3}, {2}};
        double[] small = CatalogueMetrics.popularityPercentiles(new int[] {0, 0, 1, 5});
        assertEquals((25 + 87.5 + 62.5) / 3, CatalogueMetrics.meanPopularityPercentile(2, lists, small), 1e-12);
        assertEquals((25 + 62.5) / 2, CatalogueMetrics.meanPopularityPercentile(1, lists, small), 1e-12);
    }
}
