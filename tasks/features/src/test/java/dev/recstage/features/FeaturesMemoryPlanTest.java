package dev.recstage.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The sizes features' memory plan counts, against the bytes the JVM reports this thread allocated
 * while building the structures (HotSpot's per-thread allocation counter): a plan part must cover
 * what is really held, without counting it twice.
 */
class FeaturesMemoryPlanTest {

    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Bytes this thread allocated while {@code work} ran, and its result. */
    private static <T> long allocatedBy(Supplier<T> work, Object[] result) {
        long id = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(id);
        result[0] = work.get();
        return THREADS.getThreadAllocatedBytes(id) - before;
    }

    @Test
    void theInteractionTableHoldsWhatItsPlanSays() {
        for (int rows : new int[] {1, 65_536, 65_537, 700_000}) {
            Object[] table = new Object[1];
            long allocated = allocatedBy(() -> {
                InteractionTable t = new InteractionTable();
                for (int r = 0; r < rows; r++) {
                    t.add(r % 1000, r % 777, (byte) 0, 1f, r);
                }
                return t;
            }, table);
            long planned = InteractionTable.bytesFor(rows);
            // Everything allocated stays live (chunks are never copied), apart from the small chunk arrays
            // replaced by doubling; array headers are not in the plan, 16 bytes for each of 5 arrays a chunk.
            long chunks = (rows + 65_535) / 65_536;
            assertTrue(planned + 5 * 16 * chunks >= allocated - 4096, rows + " rows: planned " + planned + ", allocated " + allocated);
            assertTrue(planned <= allocated * 1.05 + 4096, rows + " rows: planned " + planned + ", allocated " + allocated);
            assertEquals(rows, ((InteractionTable) table[0]).size());
        }
    }

    @Test
    void theSortHoldsAtMostItsPlanAtOnce() {
        int rows = 300_000;
        int users = 1_000;
        InteractionTable table = new InteractionTable();
        for (int r = 0; r < rows; r++) {
            table.add(r % users, r % 777, (byte) 0, 1f, r / 3); // duplicates: every (user, item, time) three times at most
        }
        // Once before measuring: the first call also links its lambda and loads classes, which on JDK 25
        // allocated 38 KB more on this thread than on JDK 17 (one-time costs, not the sort's).
        table.sortedUniqueOrder(users);
        Object[] order = new Object[1];
        long allocated = allocatedBy(() -> table.sortedUniqueOrder(users), order);
        // All it allocates: the order, two offset arrays, each user's merge scratch (all rows in all)
        // and the deduplicated copy, with an array header each; at most the order, the offsets and one of
        // the other two at once.
        long atOnce = InteractionTable.sortBytes(rows, users);
        long kept = ((int[]) order[0]).length;
        assertTrue(allocated <= atOnce + 4L * rows + 32L * users + 8192, "allocated " + allocated + ", planned at once " + atOnce);
        assertTrue(atOnce >= 4L * rows + 8L * users + 4L * Math.max(kept, rows / users), "planned " + atOnce);
    }

    @Test
    void theIdIndexCountsItsArraysCapacities() {
        IdIndex index = new IdIndex();
        Object[] unused = new Object[1];
        long allocated = allocatedBy(() -> {
            for (int i = 0; i < 100_000; i++) {
                index.add("user-" + i);
            }
            return index;
        }, unused);
        // What it holds now is at most what it allocated on the way (the strings added are garbage)…
        assertTrue(index.bytes() <= allocated, "holds " + index.bytes() + ", allocated " + allocated);
        // …and at least its ids' chars and two slots per id.
        assertTrue(index.bytes() >= 2L * 100_000 * "user-99999".length() / 2 + 16L * 100_000, "holds " + index.bytes());
    }
}
