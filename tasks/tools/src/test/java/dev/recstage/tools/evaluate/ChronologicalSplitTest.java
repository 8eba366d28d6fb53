package dev.recstage.tools.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChronologicalSplitTest {
    @Test
    void holdsOutTheFlooredShareOfEachUsersLatestEvents() {
        // User 0: 4 events -> 1 held out; user 1: 3 events -> floor(0.75) = 0; user 2: 8 -> 2.
        int[] user = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2};
        boolean[] test = ChronologicalSplit.lastShareOfEachUser(user, 0.25);
        assertArrayEquals(new boolean[] {false, false, false, true, false, false, false,
                false, false, false, false, false, false, true, true}, test);
        // 10 × 0.3 is 2.9999999999999996 in doubles: still 3 held out.
        assertEquals(3, count(ChronologicalSplit.lastShareOfEachUser(new int[10], 0.3)));
    }

    @Test
    void everyScoredUserKeepsTrainingEventsAndTheShareIsNeverExceeded() {
        SplittableRandom random = new SplittableRandom(5);
        for (int round = 0; round < 200; round++) {
            double ratio = 0.05 + random.nextDouble() * 0.9;
            int users = 1 + random.nextInt(20);
            int[] counts = new int[users];
            int rows = 0;
            for (int u = 0; u < users; u++) {
                counts[u] = 1 + random.nextInt(30);
                rows += counts[u];
            }
            int[] user = new int[rows];
            for (int u = 0, r = 0; u < users; u++) {
                for (int i = 0; i < counts[u]; i++) {
                    user[r++] = u;
                }
            }
            boolean[] test = ChronologicalSplit.lastShareOfEachUser(user, ratio);
            for (int u = 0, start = 0; u < users; start += counts[u], u++) {
                int held = 0;
                boolean seenTest = false;
                for (int r = start; r < start + counts[u]; r++) {
                    assertTrue(!seenTest || test[r], "test rows are the user's last rows");
                    seenTest |= test[r];
                    held += test[r] ? 1 : 0;
                }
                assertEquals((int) Math.floor(counts[u] * ratio + 1e-9), held);
                assertTrue(held < counts[u], "a scored user keeps training events");
            }
        }
    }

    @Test
    void lastDaysCutsEveryoneAtOneInstant() {
        long day = 86_400;
        long[] ts = {0, 5 * day, 9 * day, 10 * day, 7 * day};
        assertArrayEquals(new boolean[] {false, false, true, true, false}, ChronologicalSplit.lastDays(ts, 3));
        assertArrayEquals(new boolean[] {false, true, true, true, true}, ChronologicalSplit.lastDays(ts, 9));
    }

    @Test
    void refusesBadSettingsAndUngroupedRows() {
        assertThrows(IllegalArgumentException.class, () -> ChronologicalSplit.lastShareOfEachUser(new int[] {0}, 1.0));
        assertThrows(IllegalArgumentException.class, () -> ChronologicalSplit.lastShareOfEachUser(new int[] {0}, 0));
        assertThrows(IllegalArgumentException.class, () -> ChronologicalSplit.lastShareOfEachUser(new int[] {1, 0}, 0.5));
        assertThrows(IllegalArgumentException.class, () -> ChronologicalSplit.lastDays(new long[] {1}, 0));
    }

    private static int count(boolean[] values) {
        int n = 0;
        for (boolean v : values) {
            n += v ? 1 : 0;
        }
        return n;
    }
}
