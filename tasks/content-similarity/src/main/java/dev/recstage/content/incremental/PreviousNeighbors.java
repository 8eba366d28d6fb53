package dev.recstage.content.incremental;

import dev.recstage.core.arrow.Schemas;
import dev.recstage.core.arrow.TableReader;
import dev.recstage.core.cli.StageException;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;

/**
 * A previous run's lists read one item at a time, in item order: its neighbours table (one file,
 * or its shards' files in order) followed, for each item, by its spare neighbours (ranks K+1…,
 * {@link SpareNeighbors}) when the run kept them. Items without neighbours have no rows and are
 * skipped. Ids are the dictionary codes, i.e. the previous run's item indexes. Holds one record
 * batch per table and one list.
 */
public final class PreviousNeighbors implements AutoCloseable {
    private final Cursor main;
    private final Cursor spares;
    private final int[] neighbors;
    private final float[] scores;
    private int item = -1;
    private int count;

    /**
     * @param capacity the longest list: K plus the spares kept
     */
    public PreviousNeighbors(List<Path> files, List<Path> spareFiles, int capacity, BufferAllocator allocator) {
        this.main = new Cursor(files, allocator);
        this.spares = new Cursor(spareFiles, allocator);
        this.neighbors = new int[capacity];
        this.scores = new float[capacity];
    }

    /** Moves to the next item that has neighbours; false at the end. Exit 3 on a table out of order or too long. */
    public boolean next() {
        if (!main.hasRow()) {
            return false;
        }
        int previous = item;
        item = main.item();
        if (item <= previous) {
            throw StageException.input(main.file() + ": item " + item + " after item " + previous
                    + ": not a neighbours table ordered by item (rerun the stage that wrote it)");
        }
        count = main.readList(item, neighbors, scores, 0);
        while (spares.hasRow() && spares.item() < item) {
            spares.readList(spares.item(), neighbors, scores, count); // spares of an item without neighbours: none are written
        }
        if (spares.hasRow() && spares.item() == item) {
            count = spares.readList(item, neighbors, scores, count);
        }
        return true;
    }

    /** The current item's previous index. */
    public int item() {
        return item;
    }

    public int count() {
        return count;
    }

    /** Previous indexes of the current item's neighbours, best first, in positions [0, count). */
    public int[] neighbors() {
        return neighbors;
    }

    public float[] scores() {
        return scores;
    }

    @Override
    public void close() {
        main.close();
        spares.close();
    }

    /** Rows of one table across its files. */
    private static final class Cursor {
        private final List<Path> files;
        private final BufferAllocator allocator;
        private int nextFile;
        private TableReader reader;
        private IntVector itemColumn;
        private IntVector neighborColumn;
        private Float4Vector scoreColumn;
        private int row;
        private int rows;

        Cursor(List<Path> files, BufferAllocator allocator) {
            this.files = files;
            this.allocator = allocator;
        }

        int item() {
            return itemColumn.get(row);
        }

        Path file() {
            return reader.file();
        }

        /** Appends {@code item}'s rows to the arrays from {@code at}; returns the new length. */
        int readList(int item, int[] neighbors, float[] scores, int at) {
            while (hasRow() && itemColumn.get(row) == item) {
                if (at == neighbors.length) {
                    throw StageException.input(reader.file() + ": item " + item + " has more than " + neighbors.length
                            + " neighbours: the previous output has another top K");
                }
                neighbors[at] = neighborColumn.get(row);
                scores[at++] = scoreColumn.get(row);
                row++;
            }
            return at;
        }

        boolean hasRow() {
            while (row >= rows) {
                if (reader != null && reader.next()) {
                    itemColumn = reader.vector("item_id", IntVector.class);
                    neighborColumn = reader.vector("neighbor_id", IntVector.class);
                    scoreColumn = reader.vector("score", Float4Vector.class);
                    rows = reader.root().getRowCount();
                    row = 0;
                } else if (nextFile < files.size()) {
                    close();
                    reader = TableReader.open(files.get(nextFile++), Schemas.NEIGHBORS, allocator);
                } else {
                    return false;
                }
            }
            return true;
        }

        void close() {
            if (reader != null) {
                reader.close();
                reader = null;
            }
        }
    }
}
