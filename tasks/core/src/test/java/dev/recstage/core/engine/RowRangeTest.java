package dev.recstage.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RowRangeTest {

    @Property
    void shardsAreContiguousCoverAllRowsAndDifferByAtMostOne(@ForAll @IntRange(max = 1_000_000) int rows, @ForAll @IntRange(min = 1, max = 64) int n) {
        int next = 0;
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int s = 0; s < n; s++) {
            RowRange r = RowRange.shard(rows, s, n);
            assertEquals(next, r.from());
            next = r.to();
            min = Math.min(min, r.size());
            max = Math.max(max, r.size());
        }
        assertEquals(rows, next);
        assertTrue(max - min <= 1);
    }

    @Test
    void shardArithmeticDoesNotOverflowForLargeRowCounts() {
        assertEquals(new RowRange(1_073_741_823, 2_147_483_647), RowRange.shard(Integer.MAX_VALUE, 1, 2));
    }

    @Test
    void rejectsInvalidShardsAndRanges() {
        assertThrows(IllegalArgumentException.class, () -> RowRange.shard(10, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> RowRange.shard(10, -1, 2));
        assertThrows(IllegalArgumentException.class, () -> RowRange.shard(10, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> RowRange.shard(-1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new RowRange(3, 2));
    }
}
