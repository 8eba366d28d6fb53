package dev.recstage.recommend;

import dev.recstage.core.arrow.Schemas;
import dev.recstage.core.arrow.TableReader;
import dev.recstage.core.cli.StageException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;

/**
 * Reads a neighbours table (ordered by item then rank, ids coded against the features' item ids),
 * one file or the files of a sharded output in shard order read as one table, into {@link NeighborLists}: each row scaled by its top score and re-sorted by neighbour index.
 * Anything that breaks the contract is exit 3 naming the file and row. Neighbours whose score is
 * not above 0 (possible with signed embedding vectors) cannot be scaled and are left out; the
 * count of them is reported.
 */
final class NeighborListsReader {
    /** What was read: the lists, and how many rows were left out for a score not above 0. */
    record Result(NeighborLists lists, long notPositive) {
    }

    private NeighborListsReader() {
    }

    /**
     * @param files the table's files in order (one, or one per shard)
     * @param rows  the table's row count from its manifests (the arrays are allocated at that size up front)
     */
    static Result read(List<Path> files, int items, long rows, BufferAllocator allocator) {
        if (rows > Integer.MAX_VALUE - 8) {
            throw StageException.memory(files.get(0) + " has " + rows + " rows, more than one Java array holds; lower its top K");
        }
        int[] rowStart = new int[items + 1];
        int[] neighbors = new int[(int) rows];
        float[] scores = new float[(int) rows];
        int kept = 0;
        long row = 0;
        long notPositive = 0;
        int lastItem = -1;
        // The first item of each file, to name the file an item's row came from after sorting.
        int[] firstItem = new int[files.size()];
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            firstItem[f] = lastItem + 1;
            long fileRow = 0;
            try (TableReader reader = TableReader.open(file, Schemas.NEIGHBORS, allocator)) {
                while (reader.next()) {
                    if (fileRow == 0) {
                        checkDictionary(file, reader, items);
                    }
                    IntVector item = reader.vector("item_id", IntVector.class);
                    IntVector neighbor = reader.vector("neighbor_id", IntVector.class);
                    Float4Vector score = reader.vector("score", Float4Vector.class);
                    for (int r = 0; r < reader.root().getRowCount(); r++, row++, fileRow++) {
                        int i = item.get(r);
                        int j = neighbor.get(r);
                        float s = score.get(r);
                        if (row >= rows) {
                            throw bad(file, fileRow, "more rows than the " + rows + " its manifest lists");
                        }
                        if (i < 0 || i >= items || j < 0 || j >= items) {
                            throw bad(file, fileRow, "item " + i + " or neighbour " + j + " outside [0, " + items + ")");
                        }
                        if (i < lastItem) {
                            throw bad(file, fileRow, "item " + i + " after item " + lastItem + ": not ordered by item then rank");
                        }
                        if (i == j) {
                            throw bad(file, fileRow, "item " + i + " lists itself");
                        }
                        if (Float.isNaN(s) || Float.isInfinite(s)) {
                            throw bad(file, fileRow, "score " + s + " is not a finite number");
                        }
                        for (int next = lastItem + 1; next <= i; next++) {
                            rowStart[next] = kept;
                        }
                        lastItem = i;
                        if (s > 0) {
                            neighbors[kept] = j;
                            scores[kept] = s;
                            kept++;
                        } else {
                            notPositive++;
                        }
                    }
                }
            }
        }
        if (row != rows) {
            boolean one = files.size() == 1;
            throw StageException.input(String.join(", ", files.stream().map(Path::toString).toList()) + (one ? " has " : " have ") + row
                    + " rows but " + (one ? "its manifest lists " : "their manifests list ") + rows + ": the directory was changed after it was written");
        }
        for (int next = lastItem + 1; next <= items; next++) {
            rowStart[next] = kept;
        }
        if (kept < rows) {
            neighbors = Arrays.copyOf(neighbors, kept);
            scores = Arrays.copyOf(scores, kept);
        }
        scaleAndSort(files, firstItem, rowStart, neighbors, scores);
        return new Result(new NeighborLists(rowStart, neighbors, scores), notPositive);
    }

    private static void checkDictionary(Path file, TableReader reader, int items) {
        int ids = reader.dictionary(Schemas.ITEM_ID_DICTIONARY).getValueCount();
        if (ids != items) {
            throw StageException.input(file + " is coded against " + ids + " item ids but the features have " + items
                    + ": it was computed from another features output");
        }
    }

    /** Per row: divide by the top score, then order by neighbour index (scores travel along). */
    private static void scaleAndSort(List<Path> files, int[] firstItem, int[] rowStart, int[] neighbors, float[] scores) {
        long[] packed = new long[0];
        for (int i = 0; i + 1 < rowStart.length; i++) {
            int from = rowStart[i];
            int to = rowStart[i + 1];
            float top = 0;
            for (int e = from; e < to; e++) {
                top = Math.max(top, scores[e]);
            }
            if (packed.length < to - from) {
                packed = new long[to - from];
            }
            for (int e = from; e < to; e++) {
                // Neighbour in the high bits, so that sorting the longs sorts by neighbour.
                packed[e - from] = ((long) neighbors[e] << 32) | (Float.floatToRawIntBits(scores[e] / top) & 0xFFFF_FFFFL);
            }
            Arrays.sort(packed, 0, to - from);
            for (int e = from; e < to; e++) {
                long p = packed[e - from];
                neighbors[e] = (int) (p >>> 32);
                scores[e] = Float.intBitsToFloat((int) p);
                if (e > from && neighbors[e] == neighbors[e - 1]) {
                    throw StageException.input(fileOf(i, files, firstItem) + ": item " + i + " lists neighbour " + neighbors[e] + " twice");
                }
            }
        }
    }

    /** The last file whose rows start at or before item {@code i}. */
    private static Path fileOf(int i, List<Path> files, int[] firstItem) {
        int f = files.size() - 1;
        while (f > 0 && firstItem[f] > i) {
            f--;
        }
        return files.get(f);
    }

    private static StageException bad(Path file, long row, String what) {
        return StageException.input(file + ": row " + row + ": " + what);
    }
}
