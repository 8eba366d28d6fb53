package dev.recstage.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.core.cli.ExitCode;
import dev.recstage.core.cli.StageException;
import dev.recstage.core.engine.RowRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShardTest {
    @Test
    void parsesIOverN() {
        assertEquals(new Shard(2, 5), Shard.parse("2/5"));
        assertEquals(new Shard(0, 1), Shard.parse(" 0 / 1 "));
        assertEquals("2/5", Shard.parse("2/5").toString());
    }

    @Test
    void absentOptionIsTheWholeRange() {
        assertEquals(Shard.WHOLE, Shard.option(null));
        assertEquals(new Shard(1, 3), Shard.option("1/3"));
        assertEquals(new RowRange(0, 7), Shard.WHOLE.rows(7));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5/5", "3/3", "-1/2", "1", "1-2", "a/b", "1/0", "1/2/3", "", "/"})
    void anythingElseIsAUsageErrorShowingTheExpectedShape(String bad) {
        StageException e = assertThrows(StageException.class, () -> Shard.option(bad));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("--shard must be i/n with 0 <= i < n"), e.getMessage());
        assertTrue(e.getMessage().contains("got '" + bad + "'"), e.getMessage());
    }

    @Test
    void theShardsOfASplitAreContiguousAndCoverEveryRow() {
        int next = 0;
        for (int i = 0; i < 3; i++) {
            RowRange rows = new Shard(i, 3).rows(10);
            assertEquals(next, rows.from());
            next = rows.to();
        }
        assertEquals(10, next);
    }

    @Test
    void anInvalidShardCannotBeBuilt() {
        assertThrows(IllegalArgumentException.class, () -> new Shard(2, 2));
        assertThrows(IllegalArgumentException.class, () -> new Shard(0, 0));
    }
}
