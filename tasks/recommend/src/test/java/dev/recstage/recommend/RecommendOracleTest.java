package dev.recstage.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.recommend.BruteForceRecommend.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The pure scorer classes (through real neighbours files) against {@link BruteForceRecommend} on
 * small random inputs: scaling, blending, sources, ties, seen filtering, the popularity fallback
 * and {@code because}. Dyadic inputs are compared to the bit; arbitrary floats within 1e-5.
 */
class RecommendOracleTest {
    private static final double TOLERANCE = 1e-5;

    /** With the lists read at once or in passes over neighbour ranges: the same bits either way. */
    @Property(tries = 300)
    void dyadicInputsMatchTheOracleExactly(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int threads,
                                           @ForAll @IntRange(min = 1, max = 5) int block,
                                           @ForAll @IntRange(min = 1, max = 5) int passes) throws IOException {
        RecommendCase input = RecommendCase.random(seed, true);
        BruteForceRecommend oracle = new BruteForceRecommend(input);
        Computed computed = new Computed(input, Files.createTempDirectory("recommend-oracle"), passes);
        Map<Integer, List<Entry>> related = computed.related();
        for (int i = 0; i < input.items(); i++) {
            assertEquals(oracle.related(i), related.get(i), "related list of item " + i + " (seed " + seed + ")");
        }
        Map<Integer, List<Entry>> users = computed.recommendations(threads, block);
        for (RecommendCase.User user : input.users()) {
            assertEquals(oracle.recommendations(user), users.get(user.user()), "list of user " + user.user() + " (seed " + seed + ")");
        }
    }

    @Property(tries = 200)
    void arbitraryScoresMatchTheOracleWithinRounding(@ForAll long seed) throws IOException {
        RecommendCase input = RecommendCase.random(seed, false);
        BruteForceRecommend oracle = new BruteForceRecommend(input);
        Computed computed = new Computed(input, Files.createTempDirectory("recommend-oracle"));
        Map<Integer, List<Entry>> related = computed.related();
        for (int i = 0; i < input.items(); i++) {
            int item = i;
            assertClose(oracle.related(i), related.get(i), j -> oracle.sim(item, j), "related list of item " + i);
        }
        Map<Integer, List<Entry>> users = computed.recommendations(2, 3);
        for (RecommendCase.User user : input.users()) {
            List<Entry> expected = oracle.recommendations(user);
            List<Entry> actual = users.get(user.user());
            assertEquals(expected.isEmpty() || expected.get(0).popular(), actual.isEmpty() || actual.get(0).popular(),
                    "popularity fallback of user " + user.user());
            if (!expected.isEmpty() && !expected.get(0).popular()) {
                assertClose(expected, actual, j -> score(oracle, user, j), "list of user " + user.user());
                for (Entry e : actual) {
                    assertTrue(input.includeSeen() || !user.seen().contains(e.item()), "seen item " + e.item() + " recommended");
                    double term = user.history().get(e.because()) * oracle.sim(e.because(), e.item());
                    double best = user.history().entrySet().stream()
                            .mapToDouble(h -> h.getValue() * oracle.sim(h.getKey(), e.item())).max().orElse(0);
                    assertEquals(best, term, TOLERANCE * best, "because of user " + user.user() + ", item " + e.item());
                }
            } else {
                assertEquals(expected, actual, "popularity list of user " + user.user());
            }
        }
    }

    private static double score(BruteForceRecommend oracle, RecommendCase.User user, int j) {
        return user.history().entrySet().stream().mapToDouble(h -> h.getValue() * oracle.sim(h.getKey(), j)).sum();
    }

    /**
     * Same length, the same scores rank by rank within rounding, and each listed item's own score is
     * its oracle score: near-ties may swap places, nothing else may differ.
     */
    private static void assertClose(List<Entry> expected, List<Entry> actual, java.util.function.IntToDoubleFunction truth, String what) {
        assertEquals(expected.size(), actual.size(), what + ": length");
        for (int r = 0; r < expected.size(); r++) {
            double want = expected.get(r).score();
            assertEquals(want, actual.get(r).score(), TOLERANCE * Math.max(1, want), what + ": score at rank " + (r + 1));
            double own = truth.applyAsDouble(actual.get(r).item());
            assertEquals(own, actual.get(r).score(), TOLERANCE * Math.max(1, own), what + ": score of item " + actual.get(r).item());
        }
        assertEquals(actual.size(), actual.stream().mapToInt(Entry::item).distinct().count(), what + ": an item twice");
    }
}
