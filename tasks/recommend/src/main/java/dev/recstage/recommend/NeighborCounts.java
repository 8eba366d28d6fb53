package dev.recstage.recommend;

import dev.recstage.core.arrow.Schemas;
import dev.recstage.core.arrow.TableReader;
import dev.recstage.core.cli.StageException;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;

/**
 * How many times each item is listed as a neighbour with a score above 0 (what
 * {@link NeighborListsReader} keeps), added over the tables counted: what splits the neighbours into
 * {@link NeighborRange}s of a bounded size when the lists do not fit the heap at once. The reader
 * that follows checks the rest of the contract.
 */
final class NeighborCounts {
    private final int[] counts;

    NeighborCounts(int items) {
        this(new int[items]);
    }

    /** @param counts per neighbour, as counted (kept, not copied) */
    NeighborCounts(int[] counts) {
        this.counts = counts;
    }

    /** Adds one table's counts (its files in order). */
    NeighborCounts add(List<Path> files, BufferAllocator allocator) {
        for (Path file : files) {
            long fileRow = 0;
            try (TableReader reader = TableReader.open(file, Schemas.NEIGHBORS, allocator)) {
                while (reader.next()) {
                    IntVector neighbor = reader.vector("neighbor_id", IntVector.class);
                    Float4Vector score = reader.vector("score", Float4Vector.class);
                    for (int r = 0; r < reader.root().getRowCount(); r++, fileRow++) {
                        int j = neighbor.get(r);
                        if (j < 0 || j >= counts.length) {
                            throw StageException.input(file + ": row " + fileRow + ": neighbour " + j + " outside [0, " + counts.length + ")");
                        }
                        if (score.get(r) > 0) {
                            counts[j]++;
                        }
                    }
                }
            }
        }
        return this;
    }

    int items() {
        return counts.length;
    }

    int count(int neighbor) {
        return counts[neighbor];
    }

    /** The entries listing a neighbour in {@code range}. */
    long sum(NeighborRange range) {
        long sum = 0;
        for (int j = range.from(); j < range.to(); j++) {
            sum += counts[j];
        }
        return sum;
    }

    /** Heap bytes of the counts of {@code items} items. */
    static long bytesFor(long items) {
        return 4 * items;
    }
}
