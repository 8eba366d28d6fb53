package dev.recstage.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The scatter ranks only the touched rows at or above a bar guessed from a strided sample
 * ({@link SampledBar}); rows that touch more than 2·{@value SampledBar#SAMPLE} others sample a
 * part of them, so these cases are large enough for the guess to be a guess, and one is built so
 * that it is too high. Held to the brute-force oracle.
 */
class SampledBarTest {

    private static final PairScorer[] SCORERS = {
        PairScorer.dot(), PairScorer.dot().withMinCommon(2), PairScorer.count(), PairScorer.jaccard().withMinCommon(2),
    };

    @Property(tries = 12)
    void scatterWithSampledBarEqualsOracle(@ForAll @IntRange(min = 1100, max = 1500) int rows,
                                           @ForAll @IntRange(min = 1, max = 200) int k, @ForAll long seed) {
        Random random = new Random(seed);
        Dense.Values kind = Dense.Values.values()[random.nextInt(Dense.Values.values().length)];
        PairScorer scorer = SCORERS[random.nextInt(SCORERS.length)];
        int cols = 2 + random.nextInt(6);
        CsrMatrix a = Dense.toCsr(Dense.random(random, rows, cols, 0.6, kind), cols);
        if (random.nextBoolean()) {
            a = a.normalizeRows();
        }
        assertScatterEqualsOracle(a, scorer, k);
    }

    /**
     * One column that every row uses, high values at 150 of the rows the sample of row 0 visits
     * (every 8th row), low values elsewhere: the sample guesses the high score, which fewer than K
     * rows reach, so the search must rank the rest too, ties broken by index.
     */
    @Test
    void guessAboveTheKthBestStillRanksEveryRow() {
        int rows = 4096;
        int highRows = 150;
        int k = 200;
        float[][] dense = new float[rows][1];
        for (int j = 0; j < rows; j++) {
            dense[j][0] = j % 8 == 0 && j <= 8 * highRows ? 2f : 1f;
        }
        CsrMatrix a = Dense.toCsr(dense, 1);
        int stride = SampledBar.stride(rows);
        assertEquals(8, stride);
        float[] sample = new float[SampledBar.MAX_SAMPLE];
        int size = 0;
        for (int j = stride; j < rows; j += stride) { // row 0 touches every row in order and skips itself
            sample[size++] = dense[j][0] * dense[0][0];
        }
        float guess = SampledBar.guess(sample, size, rows, k, Float.NEGATIVE_INFINITY);
        assertEquals(4f, guess, "the sample sees many high rows");
        assertTrue(highRows < k, "fewer than K rows reach the guess");
        assertScatterEqualsOracle(a, PairScorer.dot(), k);
    }

    @Test
    void noGuessWhenKIsALargeShareOfTheSample() {
        float[] sample = {5f, 4f, 3f, 2f, 1f};
        assertEquals(Float.NEGATIVE_INFINITY, SampledBar.guess(sample, 5, 5, 1, Float.NEGATIVE_INFINITY));
        assertEquals(0f, SampledBar.guess(sample, 0, 0, 1, 0f));
        float[] large = new float[1000];
        for (int x = 0; x < large.length; x++) {
            large[x] = x;
        }
        assertEquals(1000 - 41, SampledBar.guess(large, 1000, 1000, 10, Float.NEGATIVE_INFINITY), "the 4K+1-th largest");
    }

    private static void assertScatterEqualsOracle(CsrMatrix a, PairScorer scorer, int k) {
        List<String> expected = BruteForceOracle.topK(Dense.toDense(a), scorer, k, 0, a.rows());
        assertEquals(expected, Output.of(TopKEngine.scatterOnly(2, 64), a, a.transpose(), scorer, k, 0, a.rows()));
    }
}
