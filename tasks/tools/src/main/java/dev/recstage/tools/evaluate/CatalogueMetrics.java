package dev.recstage.tools.evaluate;

import java.util.Arrays;

/**
 * What a set of lists does to the catalogue: how much of it they show (coverage) and how popular
 * what they show is (popularity bias).
 */
public final class CatalogueMetrics {
    private CatalogueMetrics() {
    }

    /** Distinct items in the top k of the given lists (null lists skipped) over the catalogue size. */
    public static double coverage(int k, int[][] lists, int catalogueSize) {
        boolean[] shown = new boolean[catalogueSize];
        int distinct = 0;
        for (int[] list : lists) {
            if (list == null) {
                continue;
            }
            for (int r = 0; r < Math.min(k, list.length); r++) {
                if (!shown[list[r]]) {
                    shown[list[r]] = true;
                    distinct++;
                }
            }
        }
        return catalogueSize == 0 ? 0 : (double) distinct / catalogueSize;
    }

    /**
     * Each item's popularity percentile in the catalogue, 0-100: 100 × (items strictly less popular +
     * half the items exactly as popular, itself included) / catalogue size, which is
     * {@code scipy.stats.percentileofscore(popularity, p, kind='mean')}.
     */
    public static double[] popularityPercentiles(int[] popularity) {
        int n = popularity.length;
        int[] sorted = popularity.clone();
        Arrays.sort(sorted);
        double[] percentile = new double[n];
        for (int i = 0; i < n; i++) {
            int less = lowerBound(sorted, popularity[i]);
            int equal = lowerBound(sorted, popularity[i] + 1) - less;
            percentile[i] = 100.0 * (less + 0.5 * equal) / n;
        }
        return percentile;
    }

    /** Mean popularity percentile over every (user, item) pair in the top k of the lists; 0 without any. */
    public static double meanPopularityPercentile(int k, int[][] lists, double[] percentiles) {
        double sum = 0;
        long pairs = 0;
        for (int[] list : lists) {
            if (list == null) {
                continue;
            }
            for (int r = 0; r < Math.min(k, list.length); r++) {
                sum += percentiles[list[r]];
                pairs++;
            }
        }
        return pairs == 0 ? 0 : sum / pairs;
    }

    private static int lowerBound(int[] sorted, int value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
