package dev.recstage.tools.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.recstage.core.cli.StageException;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeldOutTest {
    // Users 0..2, items 0..4. User 2 has held-out events only (cold under a time cut).
    private static final InteractionLog LOG = new InteractionLog(
            new int[] {0, 0, 0, 0, 1, 1, 1, 2},
            new int[] {0, 1, 1, 2, 0, 3, 0, 4},
            new byte[8], new float[8], new long[] {1, 2, 3, 4, 1, 2, 3, 9},
            new String[] {"a", "b", "c"}, new String[] {"i0", "i1", "i2", "i3", "i4"}, List.of("interaction"), false);
    private static final boolean[] TEST = {false, false, true, true, false, false, true, true};

    @Test
    void sidesAreDistinctItemsAndColdUsersAreNotScored() {
        HeldOut heldOut = new HeldOut(LOG, TEST);
        assertArrayEquals(new int[] {0, 1}, heldOut.trainItems()[0]);
        assertArrayEquals(new int[] {1, 2}, heldOut.relevant()[0]);
        assertArrayEquals(new int[] {0, 3}, heldOut.trainItems()[1]);
        assertArrayEquals(new int[] {0}, heldOut.relevant()[1], "re-used training items stay relevant");
        assertNull(heldOut.relevant()[2]);
        assertEquals(1, heldOut.coldUsers());
        assertEquals(2, heldOut.scoredUsers());
        assertEquals(3, heldOut.relevantPairs());
        assertEquals(4, heldOut.trainEvents());
        assertEquals(4, heldOut.testEvents());
        assertArrayEquals(new int[] {2, 1, 0, 1, 0}, heldOut.popularity(), "distinct training users per item");
    }

    @Test
    void popularityListsSkipTheUsersOwnItemsAndBreakTiesByIndex() {
        HeldOut heldOut = new HeldOut(LOG, TEST);
        int[][] lists = PopularityBaseline.lists(heldOut.popularity(), heldOut.trainItems(), heldOut.relevant(), 3);
        assertArrayEquals(new int[] {3, 2, 4}, lists[0]); // item 0 and 1 seen; 3 (pop 1), then 2 and 4 (pop 0)
        assertArrayEquals(new int[] {1, 2, 4}, lists[1]);
        assertNull(lists[2], "not scored, no list");
    }

    @Test
    void sweepsNameTheStagesTheyReach() {
        assertEquals(new Sweep("SIMILARITY_TOP_K", List.of("50", "100")), Sweep.parse("SIMILARITY_TOP_K=50, 100"));
        assertEquals(List.of(Stages.CONTENT, Stages.BEHAVIOR), Sweep.parse("SIMILARITY_TOP_K=5").upstreamStages());
        assertEquals(List.of(Stages.BEHAVIOR), Sweep.parse("BEHAVIOR_MAX_ITEMS_PER_USER=5").upstreamStages());
        assertEquals(List.of(Stages.CONTENT), Sweep.parse("TFIDF_MIN_DF=2").upstreamStages());
        assertEquals(List.of(), Sweep.parse("RELATED_CONTENT_WEIGHT=0.3").upstreamStages());
        assertEquals(Stages.RECOMMEND, Sweep.parse("RECOMMEND_MAX_HISTORY=50").sizedStage());
        assertThrows(StageException.class, () -> Sweep.parse("top_k=5"));
        assertThrows(StageException.class, () -> Sweep.parse("TOP_K=5,,6"));
        assertThrows(StageException.class, () -> Sweep.parse("TOP_K"));
    }

    @Test
    void splitRuleTakesOneOfRatioOrDays() {
        assertEquals(new SplitRule(0.25, null), SplitRule.of(null, null));
        assertEquals(new SplitRule(null, 7), SplitRule.of(null, 7));
        assertThrows(StageException.class, () -> SplitRule.of(0.2, 7));
        assertThrows(StageException.class, () -> SplitRule.of(1.0, null));
        assertThrows(StageException.class, () -> SplitRule.of(null, 0));
    }
}
