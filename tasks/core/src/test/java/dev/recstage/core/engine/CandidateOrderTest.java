package dev.recstage.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The candidate order against the heap it replaced in the scatter and hybrid searches: same neighbours, same scores. */
class CandidateOrderTest {

    /** Few distinct values, so that ties are common; both zeros, negatives and infinities included. */
    private static final float[] SCORES = {-0f, 0f, Float.MIN_VALUE, -Float.MIN_VALUE, 0.5f, 1f, -1f, -2f, 3e38f,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.1f};

    @Property(tries = 500)
    void ranksLikeTheHeap(@ForAll @IntRange(max = 300) int candidates, @ForAll @IntRange(min = 1, max = 50) int k,
                          @ForAll long seed) {
        Random random = new Random(seed);
        int rows = candidates + random.nextInt(100);
        int[] neighbors = shuffledPrefix(random, rows, candidates);
        CandidateOrder order = new CandidateOrder(rows, k);
        TopKHeap heap = new TopKHeap(k);
        for (int j : neighbors) {
            float s = random.nextBoolean() ? SCORES[random.nextInt(SCORES.length)] : (float) random.nextGaussian();
            order.add(j, s);
            heap.offer(j, s);
        }
        int[] expected = new int[k];
        float[] expectedScores = new float[k];
        int count = heap.drainSorted(expected, expectedScores, 0);
        int[] actual = new int[order.sortBest()];
        Arrays.setAll(actual, order::neighbor);
        float[] actualScores = new float[actual.length];
        for (int r = 0; r < actual.length; r++) {
            actualScores[r] = order.score(r);
            expectedScores[r] += 0f; // the order gives -0 back as +0
        }
        assertArrayEquals(Arrays.copyOf(expected, count), actual);
        assertArrayEquals(Arrays.copyOf(expectedScores, count), actualScores); // bitwise, as Float.equals
    }

    /** {@code count} distinct indices below {@code rows}, in random order. */
    private static int[] shuffledPrefix(Random random, int rows, int count) {
        int[] all = new int[rows];
        Arrays.setAll(all, x -> x);
        for (int x = rows - 1; x > 0; x--) {
            int y = random.nextInt(x + 1);
            int swap = all[x];
            all[x] = all[y];
            all[y] = swap;
        }
        return Arrays.copyOf(all, count);
    }
}
