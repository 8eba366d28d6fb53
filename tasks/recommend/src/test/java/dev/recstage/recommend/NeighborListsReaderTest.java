package dev.recstage.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.core.arrow.NeighborsWriter;
import dev.recstage.core.cli.ExitCode;
import dev.recstage.core.cli.StageException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
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

    /** A row's (neighbour, score) pairs. */
    private static List<String> row(NeighborLists lists, int item) {
        List<String> entries = new ArrayList<>();
        for (int e = lists.rowStart(item); e < lists.rowEnd(item); e++) {
            entries.add(lists.neighbor(e) + ":" + lists.score(e));
        }
        return entries;
    }

    @Test
    void rowsAreScaledByTheirTopScoreSortedByNeighbourAndNonPositiveScoresCounted() {
        Path file = write(4, new float[][] {{0, 3, 4}, {0, 1, 2}, {0, 2, -1}, {2, 0, 0.5f}});
        NeighborListsReader.Result result = NeighborListsReader.read(List.of(file), 4, 4, allocator);
        NeighborLists lists = result.lists();
        assertEquals(1, result.notPositive());
        assertEquals(List.of("1:0.5", "3:1.0"), row(lists, 0));
        assertEquals(List.of(), row(lists, 1), "item 1 has no neighbours");
        assertEquals(List.of("0:1.0"), row(lists, 2));
        assertEquals(List.of(), row(lists, 3));
        assertEquals(3, lists.entries());
    }

    @Test
    void aNeighbourRangeKeepsItsPartOfEachRowScaledByTheWholeRowsTopAndTheCountsSizeIt() {
        float[][] rows = {{0, 3, 4}, {0, 1, 2}, {0, 2, -1}, {1, 0, 3}, {1, 2, 3}, {1, 3, 1}, {3, 2, 9}, {3, 0, 0.25f}, {3, 1, 7}};
        Path file = write(4, rows);
        NeighborLists all = NeighborListsReader.read(List.of(file), 4, rows.length, allocator).lists();
        NeighborCounts counts = new NeighborCounts(4).add(List.of(file), allocator);
        assertEquals(List.of(2, 2, 2, 2), List.of(counts.count(0), counts.count(1), counts.count(2), counts.count(3)));
        for (NeighborRange range : List.of(new NeighborRange(0, 1), new NeighborRange(1, 3), new NeighborRange(3, 4), new NeighborRange(0, 4))) {
            NeighborListsReader.Result part = NeighborListsReader.read(List.of(file), 4, rows.length, allocator, range,
                    (int) counts.sum(range));
            assertEquals(1, part.notPositive());
            assertEquals(counts.sum(range), part.lists().entries(), range.toString());
            for (int i = 0; i < 4; i++) {
                List<String> expected = row(all, i).stream().filter(e -> range.contains(Integer.parseInt(e.split(":")[0]))).toList();
                assertEquals(expected, row(part.lists(), i), "item " + i + ", " + range);
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
