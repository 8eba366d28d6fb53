package dev.recstage.tools.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The generator's building blocks against their definitions. */
class SamplingTest {
    @Test
    void aliasZipfDrawsFollowTheExactProbabilities() {
        int n = 60;
        double exponent = 1.1;
        ZipfSampler sampler = new ZipfSampler(n, exponent);
        double norm = 0;
        for (int k = 1; k <= n; k++) {
            norm += Math.pow(k, -exponent);
        }
        int draws = 600_000;
        long[] counts = new long[n];
        SplittableRandom rng = new SplittableRandom(11);
        for (int i = 0; i < draws; i++) {
            counts[sampler.sample(rng)]++;
        }
        double chiSquare = 0;
        for (int rank = 0; rank < n; rank++) {
            double expected = draws * Math.pow(rank + 1, -exponent) / norm;
            chiSquare += (counts[rank] - expected) * (counts[rank] - expected) / expected;
        }
        // 59 degrees of freedom: the 99.9th percentile of chi-square is about 99.
        assertTrue(chiSquare < 99, "chi-square " + chiSquare);
    }

    @Test
    void singleRankAlwaysDrawsIt() {
        ZipfSampler one = new ZipfSampler(1, 1.1);
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 100; i++) {
            assertEquals(0, one.sample(rng));
        }
    }

    @Test
    void isoSecondsMatchesInstantToStringInAnyOrder() {
        IsoSeconds iso = new IsoSeconds();
        SplittableRandom rng = new SplittableRandom(5);
        long[] edges = {0, -1, 86_399, 86_400, 951_782_400L /* 2000-02-29 */, 1_735_689_599L, 253_402_300_799L};
        for (long second : edges) {
            assertEquals(Instant.ofEpochSecond(second).toString(), iso.format(second));
        }
        for (int i = 0; i < 100_000; i++) {
            long second = rng.nextLong(-2_000_000_000L, 4_000_000_000L);
            assertEquals(Instant.ofEpochSecond(second).toString(), iso.format(second));
        }
    }

    @Test
    void gaussianHasUnitVariance() {
        SplittableRandom rng = new SplittableRandom(2);
        double sum = 0;
        double squares = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            double g = Draws.gaussian(rng);
            sum += g;
            squares += g * g;
        }
        assertEquals(0, sum / n, 0.01);
        assertEquals(1, squares / n, 0.02);
    }
}
