package dev.recstage.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.core.arrow.NeighborsWriter;
import dev.recstage.core.cli.ExitCode;
import dev.recstage.core.cli.StageException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NeighborListsReaderTest {
    private final BufferAllocator allocator = new RootAllocator();

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        allocator.close();
    }

    /** Writes rows {item, neighbour, score} in the given order, ids coded against {@code items} ids. */
    private Path write(int items, float[][] rows) {
        Path file = dir.resolve("neighbors.arrow");
        try (VarCharVector ids = new VarCharVector("item_id", allocator)) {
            for (int i = 0; i < items; i++) {
                ids.setSafe(i, ("i" + i).getBytes(StandardCharsets.UTF_8));
            }
            ids.setValueCount(items);
            try (NeighborsWriter writer = NeighborsWriter.open(file, ids, allocator)) {
                for (float[] row : rows) {
                    writer.accept((int) row[0], new int[] {(int) row[1]}, new float[] {row[2]}, 1);
                }
            }
        }
        return file;
    }

    @Test
    void rowsAreScaledByTheirTopScoreSortedByNeighbourAndNonPositiveScoresCounted() {
        Path file = write(4, new float[][] {{0, 3, 4}, {0, 1, 2}, {0, 2, -1}, {2, 0, 0.5f}});
        NeighborListsReader.Result result = NeighborListsReader.read(List.of(file), 4, 4, allocator);
        NeighborLists lists = result.lists();
        assertEquals(1, result.notPositive());
        assertEquals(2, lists.rowEnd(0) - lists.rowStart(0));
        assertEquals(1, lists.neighbor(0));
        assertEquals(0.5f, lists.score(0));
        assertEquals(3, lists.neighbor(1));
        assertEquals(1f, lists.score(1));
        assertEquals(lists.rowStart(1), lists.rowEnd(1), "item 1 has no neighbours");
        assertEquals(1f, lists.score(lists.rowStart(2)));
        assertEquals(lists.rowStart(3), lists.rowEnd(3));
    }

    @Test
    void listsMappedFromDiskHoldTheSameEntriesAsOnTheHeapAcrossMappings() {
        float[][] rows = {{0, 3, 4}, {0, 1, 2}, {0, 2, -1}, {1, 0, 3}, {1, 2, 3}, {1, 3, 1}, {3, 2, 9}, {3, 0, 0.25f}, {3, 1, 7}};
        Path file = write(4, rows);
        NeighborLists heap = NeighborListsReader.read(List.of(file), 4, rows.length, allocator).lists();
        for (int shift = 0; shift <= 3; shift++) {
            Path scratch = dir.resolve("lists-" + shift);
            NeighborListsReader.Result mapped = NeighborListsReader.read(List.of(file), 4, rows.length, allocator,
                    new MappedNeighborLists.Builder(scratch, rows.length, shift));
            assertEquals(1, mapped.notPositive());
            NeighborLists disk = mapped.lists();
            assertEquals(heap.entries(), disk.entries());
            for (int i = 0; i <= 4; i++) {
                assertEquals(heap.rowStart(Math.min(i, 3)), disk.rowStart(Math.min(i, 3)));
            }
            for (int e = 0; e < heap.entries(); e++) {
                assertEquals(heap.neighbor(e), disk.neighbor(e), "entry " + e + ", mappings of " + (1 << shift));
                assertEquals(heap.score(e), disk.score(e), "entry " + e + ", mappings of " + (1 << shift));
            }
        }
    }

    private void assertRefused(Path file, int items, long rows, String expected) {
        StageException e = assertThrows(StageException.class, () -> NeighborListsReader.read(List.of(file), items, rows, allocator));
        assertEquals(ExitCode.INPUT_DATA, e.exitCode());
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void contractBreachesAreExit3NamingTheFile() {
        assertRefused(write(5, new float[][] {{0, 1, 1}}), 4, 1, "another features output");
        assertRefused(write(4, new float[][] {{1, 2, 1}, {0, 1, 1}}), 4, 2, "not ordered by item");
        assertRefused(write(4, new float[][] {{1, 1, 1}}), 4, 1, "lists itself");
        assertRefused(write(4, new float[][] {{1, 2, Float.NaN}}), 4, 1, "not a finite number");
        assertRefused(write(4, new float[][] {{1, 2, 1}, {1, 2, 0.5f}}), 4, 2, "twice");
        assertRefused(write(4, new float[][] {{1, 2, 1}, {1, 3, 0.5f}}), 4, 3, "its manifest lists 3");
    }
}
