package dev.recstage.core.history;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class UserHistoryTest {
    private static int[] row(UserHistory history) {
        int[] items = new int[history.rowSize()];
        for (int r = 0; r < items.length; r++) {
            items[r] = history.rowItem(r);
        }
        return items;
    }

    private static int[] seen(UserHistory history) {
        return Arrays.copyOf(history.seenItems(), history.seenCount());
    }

    @Test
    void seenHoldsEveryItemTouchedWhileTheRowKeepsTheCappedMostRecent() {
        UserHistory history = new UserHistory(10, 2, Aggregation.SUM);
        history.add(7, 1); // oldest: beyond the cap of 2 distinct items
        history.add(3, 1);
        history.addIgnored(9); // weighs nothing: seen, not in the row
        history.add(5, 2);
        history.add(3, 4);
        history.finish();

        assertArrayEquals(new int[] {3, 5}, row(history));
        assertEquals(5f, history.rowWeight(0)); // 1 + 4, summed
        assertEquals(2f, history.rowWeight(1));
        assertEquals(1, history.droppedEvents());
        assertArrayEquals(new int[] {3, 5, 7, 9}, seen(history));
    }

    @Test
    void aUserWithOnlyIgnoredEventsHasAnEmptyRowButSeenItems() {
        UserHistory history = new UserHistory(10, 5, Aggregation.MAX);
        history.addIgnored(4);
        history.addIgnored(1);
        history.addIgnored(4);
        assertTrue(!history.isEmpty());
        history.finish();
        assertEquals(0, history.rowSize());
        assertArrayEquals(new int[] {1, 4}, seen(history));
        // The next user starts clean: marks of the previous one do not leak.
        history.add(4, 1);
        history.finish();
        assertArrayEquals(new int[] {4}, row(history));
        assertArrayEquals(new int[] {4}, seen(history));
    }
}
