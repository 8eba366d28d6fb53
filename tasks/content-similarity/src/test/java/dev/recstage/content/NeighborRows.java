package dev.recstage.content;

import dev.recstage.core.arrow.Schemas;
import dev.recstage.core.arrow.TableReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;

/** The rows of a neighbours file, as item indexes (the dictionary codes), for comparisons in tests. */
record NeighborRows(List<Row> rows) {
    record Row(int item, int neighbor, float score, int rank) {
    }

    static NeighborRows read(Path file) {
        List<Row> rows = new ArrayList<>();
        try (BufferAllocator allocator = new RootAllocator();
             TableReader reader = TableReader.open(file, Schemas.NEIGHBORS, allocator)) {
            while (reader.next()) {
                IntVector items = reader.vector("item_id", IntVector.class);
                IntVector neighbors = reader.vector("neighbor_id", IntVector.class);
                Float4Vector scores = reader.vector("score", Float4Vector.class);
                SmallIntVector ranks = reader.vector("rank", SmallIntVector.class);
                for (int r = 0; r < reader.root().getRowCount(); r++) {
                    rows.add(new Row(items.get(r), neighbors.get(r), scores.get(r), ranks.get(r)));
                }
            }
        }
        return new NeighborRows(rows);
    }

    /** Neighbour lists per item, best first; items without neighbours have empty lists. */
    List<List<Row>> byItem(int items) {
        List<List<Row>> lists = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            lists.add(new ArrayList<>());
        }
        for (Row row : rows) {
            lists.get(row.item()).add(row);
        }
        return lists;
    }
}
