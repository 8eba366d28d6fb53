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
 * one file or the files of a sharded output in shard order read as one table, row by row into
 * {@link NeighborLists}: each row scaled by its top score, the neighbours of one
 * {@link NeighborRange} kept, re-sorted by neighbour index. Anything that breaks the contract is
 * exit 3 naming the file and row. Neighbours whose score is not above 0 (possible with signed
 * embedding vectors) cannot be scaled and are left out; the count of them is reported.
 */
final class NeighborListsReader {
    /** What was read: the lists, and how many rows were left out for a score not above 0. */
    record Result(NeighborLists lists, long notPositive) {
    }

    private final List<Path> files;
    private final NeighborRange range;
    private final int[] rowStart;
    private int[] neighbors;
    private float[] scores;
    private int kept;
    /** The row being read: its item, the file it started in, its entries with a score above 0. */
    private int item = -1;
    private Path itemFile;
    private int[] rowNeighbors = new int[16];
    private float[] rowScores = new float[16];
    private long[] packed = new long[16];
    private int rowLength;

    private NeighborListsReader(List<Path> files, int items, NeighborRange range, int capacity) {
        this.files = files;
        this.range = range;
        this.rowStart = new int[items + 1];
        this.neighbors = new int[capacity];
        this.scores = new float[capacity];
    }

    /** The whole table; {@code rows}: its row count from its manifests (the arrays are allocated at that size up front). */
    static Result read(List<Path> files, int items, long rows, BufferAllocator allocator) {
        if (rows > Integer.MAX_VALUE - 8) {
            throw StageException.memory(files.get(0) + " has " + rows + " rows, more than one Java array holds; lower its top K");
        }
        return read(files, items, rows, allocator, NeighborRange.all(items), (int) rows);
    }

    /**
     * The neighbours in {@code range} only.
     *
     * @param files    the table's files in order (one, or one per shard)
     * @param rows     the table's row count from its manifests
     * @param capacity at least the entries with a score above 0 in {@code range} ({@link NeighborCounts})
     */
    static Result read(List<Path> files, int items, long rows, BufferAllocator allocator, NeighborRange range, int capacity) {
        return new NeighborListsReader(files, items, range, capacity).readAll(rows, allocator);
    }

    private Result readAll(long rows, BufferAllocator allocator) {
        int items = rowStart.length - 1;
        long row = 0;
        long notPositive = 0;
        for (Path file : files) {
            long fileRow = 0;
            try (TableReader reader = TableReader.open(file, Schemas.NEIGHBORS, allocator)) {
                while (reader.next()) {
                    if (fileRow == 0) {
                        checkDictionary(file, reader, items);
                    }
                    IntVector itemColumn = reader.vector("item_id", IntVector.class);
                    IntVector neighbor = reader.vector("neighbor_id", IntVector.class);
                    Float4Vector score = reader.vector("score", Float4Vector.class);
                    for (int r = 0; r < reader.root().getRowCount(); r++, row++, fileRow++) {
                        int i = itemColumn.get(r);
                        int j = neighbor.get(r);
                        float s = score.get(r);
                        if (row >= rows) {
                            throw bad(file, fileRow, "more rows than the " + rows + " its manifest lists");
                        }
                        if (i < 0 || i >= items || j < 0 || j >= items) {
                            throw bad(file, fileRow, "item " + i + " or neighbour " + j + " outside [0, " + items + ")");
                        }
                        if (i < item) {
                            throw bad(file, fileRow, "item " + i + " after item " + item + ": not ordered by item then rank");
                        }
                        if (i == j) {
                            throw bad(file, fileRow, "item " + i + " lists itself");
                        }
                        if (Float.isNaN(s) || Float.isInfinite(s)) {
                            throw bad(file, fileRow, "score " + s + " is not a finite number");
                        }
                        if (i != item) {
                            startRow(i, file);
                        }
                        if (s > 0) {
                            addToRow(j, s);
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
        startRow(items, null);
        if (kept < neighbors.length) {
            neighbors = Arrays.copyOf(neighbors, kept);
            scores = Arrays.copyOf(scores, kept);
        }
        return new Result(new NeighborLists(rowStart, neighbors, scores), notPositive);
    }

    private static void checkDictionary(Path file, TableReader reader, int items) {
        int ids = reader.dictionary(Schemas.ITEM_ID_DICTIONARY).getValueCount();
        if (ids != items) {
            throw StageException.input(file + " is coded against " + ids + " item ids but the features have " + items
                    + ": it was computed from another features output");
        }
    }

    /** Keeps the row read so far; items up to {@code next} without rows get empty ones. */
    private void startRow(int next, Path file) {
        if (item >= 0) {
            finishRow();
        }
        for (int empty = item + 1; empty <= next; empty++) {
            rowStart[empty] = kept;
        }
        item = next;
        itemFile = file;
        rowLength = 0;
    }

    private void addToRow(int neighbor, float score) {
        if (rowLength == rowNeighbors.length) {
            rowNeighbors = Arrays.copyOf(rowNeighbors, 2 * rowLength);
            rowScores = Arrays.copyOf(rowScores, 2 * rowLength);
            packed = new long[2 * rowLength];
        }
        rowNeighbors[rowLength] = neighbor;
        rowScores[rowLength] = score;
        rowLength++;
    }

    /** Divides by the row's top score, keeps the range's neighbours and orders them by index (scores travel along). */
    private void finishRow() {
        float top = 0;
        for (int e = 0; e < rowLength; e++) {
            top = Math.max(top, rowScores[e]);
        }
        int inRange = 0;
        for (int e = 0; e < rowLength; e++) {
            if (range.contains(rowNeighbors[e])) {
                // Neighbour in the high bits, so that sorting the longs sorts by neighbour.
                packed[inRange++] = ((long) rowNeighbors[e] << 32) | (Float.floatToRawIntBits(rowScores[e] / top) & 0xFFFF_FFFFL);
            }
        }
        Arrays.sort(packed, 0, inRange);
        if (kept + inRange > neighbors.length) {
            throw StageException.input(itemFile + " has more neighbours in " + range + " than when they were counted: it was changed while being read");
        }
        for (int e = 0; e < inRange; e++) {
            int neighbor = (int) (packed[e] >>> 32);
            if (e > 0 && neighbor == neighbors[kept - 1]) {
                throw StageException.input(itemFile + ": item " + item + " lists neighbour " + neighbor + " twice");
            }
            neighbors[kept] = neighbor;
            scores[kept] = Float.intBitsToFloat((int) packed[e]);
            kept++;
        }
    }

    private static StageException bad(Path file, long row, String what) {
        return StageException.input(file + ": row " + row + ": " + what);
    }
}
