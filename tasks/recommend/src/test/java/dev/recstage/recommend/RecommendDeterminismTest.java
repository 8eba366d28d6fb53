package dev.recstage.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.recstage.recommend.BruteForceRecommend.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Arbitrary float scores (where the order of additions would show in the bits): the lists are
 * identical, to the bit, whatever the threads, the users per block and the passes over neighbour
 * ranges.
 */
class RecommendDeterminismTest {
    @Property(tries = 100)
    void listsDoNotDependOnThreadsOrBlocks(@ForAll long seed, @ForAll @IntRange(min = 2, max = 6) int threads,
                                           @ForAll @IntRange(min = 1, max = 7) int block) throws IOException {
        RecommendCase input = RecommendCase.random(seed, false);
        Computed computed = new Computed(input, Files.createTempDirectory("recommend-determinism"));
        Map<Integer, List<Entry>> single = computed.recommendations(1, 1000);
        assertEquals(single, computed.recommendations(threads, block), "seed " + seed);
    }

    @Property(tries = 100)
    void listsDoNotDependOnThePassesOverNeighbourRanges(@ForAll long seed, @ForAll @IntRange(min = 2, max = 8) int passes,
                                                        @ForAll @IntRange(min = 1, max = 3) int threads) throws IOException {
        RecommendCase input = RecommendCase.random(seed, false);
        Computed once = new Computed(input, Files.createTempDirectory("recommend-once"));
        Computed inPasses = new Computed(input, Files.createTempDirectory("recommend-passes"), passes);
        assertEquals(once.related(), inPasses.related(), "related, seed " + seed + ", " + inPasses.passes() + " passes");
        assertEquals(once.recommendations(1, 1000), inPasses.recommendations(threads, 3),
                "users, seed " + seed + ", " + inPasses.passes() + " passes");
    }
}
