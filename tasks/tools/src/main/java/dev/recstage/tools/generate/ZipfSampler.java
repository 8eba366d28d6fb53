package dev.recstage.tools.generate;

import java.util.SplittableRandom;

/**
 * Draws ranks 0..n-1 with probability proportional to 1/(rank+1)^exponent, in constant time per
 * draw (Walker's alias method, built with Vose's algorithm): generation draws millions of words
 * and items.
 */
final class ZipfSampler {
    private final double[] keep;
    private final int[] alias;

    ZipfSampler(int n, double exponent) {
        if (n < 1) {
            throw new IllegalArgumentException("a Zipf distribution needs at least one rank");
        }
        double[] weight = new double[n];
        double sum = 0;
        for (int rank = 0; rank < n; rank++) {
            weight[rank] = 1.0 / StrictMath.pow(rank + 1, exponent);
            sum += weight[rank];
        }
        keep = new double[n];
        alias = new int[n];
        // Scaled so that the mean is 1: a column below 1 is topped up from one above.
        int[] small = new int[n];
        int[] large = new int[n];
        int smallCount = 0;
        int largeCount = 0;
        for (int rank = n - 1; rank >= 0; rank--) {
            keep[rank] = weight[rank] * n / sum;
            if (keep[rank] < 1.0) {
                small[smallCount++] = rank;
            } else {
                large[largeCount++] = rank;
            }
        }
        while (smallCount > 0 && largeCount > 0) {
            int less = small[--smallCount];
            int more = large[--largeCount];
            alias[less] = more;
            keep[more] -= 1.0 - keep[less];
            if (keep[more] < 1.0) {
                small[smallCount++] = more;
            } else {
                large[largeCount++] = more;
            }
        }
        // What is left is 1 up to rounding.
        while (largeCount > 0) {
            keep[large[--largeCount]] = 1.0;
        }
        while (smallCount > 0) {
            keep[small[--smallCount]] = 1.0;
        }
    }

    int sample(SplittableRandom rng) {
        int column = rng.nextInt(keep.length);
        return rng.nextDouble() < keep[column] ? column : alias[column];
    }
}
