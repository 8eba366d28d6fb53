package dev.recstage.core.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NeighborsWriterTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsAcrossBatchesWithDictionaryIds() {
        Path file = dir.resolve("n.arrow");
        int items = 400;
        int perItem = 301; // 400 x 301 rows span two record batches
        try (BufferAllocator allocator = new RootAllocator();
             VarCharVector ids = new VarCharVector("ids", allocator)) {
            for (int i = 0; i < items; i++) {
                ids.setSafe(i, ("id-" + i).getBytes(StandardCharsets.UTF_8));
            }
            ids.setValueCount(items);
            int[] nbr = new int[perItem];
            float[] score = new float[perItem];
            try (NeighborsWriter writer = NeighborsWriter.open(file, ids, allocator)) {
                for (int i = 0; i < items; i++) {
                    for (int r = 0; r < perItem; r++) {
                        nbr[r] = (i + 1 + r) % items;
                        score[r] = 1f / (r + 1);
                    }
                    writer.accept(i, nbr, score, perItem);
                }
                assertEquals((long) items * perItem, writer.rows());
            }
            long row = 0;
            try (TableReader reader = TableReader.open(file, Schemas.NEIGHBORS, allocator)) {
                while (reader.next()) {
                    IntVector item = reader.vector("item_id", IntVector.class);
                    IntVector neighbor = reader.vector("neighbor_id", IntVector.class);
                    Float4Vector s = reader.vector("score", Float4Vector.class);
                    SmallIntVector rank = reader.vector("rank", SmallIntVector.class);
                    VarCharVector dictionary = reader.dictionary(Schemas.ITEM_ID_DICTIONARY);
                    for (int k = 0; k < reader.root().getRowCount(); k++, row++) {
                        int i = (int) (row / perItem);
                        int r = (int) (row % perItem);
                        assertEquals(i, item.get(k));
                        assertEquals("id-" + i, new String(dictionary.get(item.get(k)), StandardCharsets.UTF_8));
                        assertEquals((i + 1 + r) % items, neighbor.get(k));
                        assertEquals(1f / (r + 1), s.get(k));
                        assertEquals(r + 1, rank.get(k));
                    }
                }
            }
            assertEquals((long) items * perItem, row);
        }
    }
}
