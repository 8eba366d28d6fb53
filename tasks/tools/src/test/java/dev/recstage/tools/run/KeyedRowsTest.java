package dev.recstage.tools.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.recstage.core.arrow.Schemas;
import dev.recstage.core.arrow.TableWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/** KeyedRows against the plain filter of all rows, on sorted files cut into batches of random sizes (some empty). */
class KeyedRowsTest {
    @TempDir
    Path dir;

    @RepeatedTest(20)
    void findsExactlyTheRowsOfEveryKeyWhateverTheBatches() {
        Random random = new Random(dir.hashCode());
        int rows = random.nextInt(2000);
        List<int[]> all = new ArrayList<>();
        int key = random.nextInt(3);
        for (int r = 0; r < rows; r++) {
            key += random.nextInt(10) < 7 ? 0 : 1 + random.nextInt(3);
            all.add(new int[] {key, r});
        }
        Path file = dir.resolve("sorted.arrow");
        Schema schema = Schemas.table("test", List.of(Schemas.required("key", Schemas.INT32), Schemas.required("value", Schemas.INT32)));
        try (BufferAllocator allocator = new RootAllocator()) {
            try (TableWriter writer = TableWriter.open(file, schema, allocator)) {
                IntVector keys = writer.vector("key", IntVector.class);
                IntVector values = writer.vector("value", IntVector.class);
                int written = 0;
                while (written < rows || random.nextInt(4) == 0) {
                    int size = Math.min(rows - written, random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(300));
                    for (int r = 0; r < size; r++) {
                        keys.setSafe(r, all.get(written + r)[0]);
                        values.setSafe(r, all.get(written + r)[1]);
                    }
                    writer.writeBatch(size);
                    written += size;
                }
            }
            try (KeyedRows keyed = KeyedRows.open(file, "key", allocator)) {
                List<Integer> lookups = new ArrayList<>();
                for (int k = -1; k <= key + 1; k++) {
                    lookups.add(k);
                }
                // In random order: what the search remembers of earlier lookups must not change the answer.
                Collections.shuffle(lookups, random);
                for (int k : lookups) {
                    int wanted = k;
                    List<Integer> expected = all.stream().filter(row -> row[0] == wanted).map(row -> row[1]).toList();
                    List<Integer> found = new ArrayList<>();
                    long count = keyed.visit(k, (batch, row, dictionaries) ->
                            found.add((int) ((BaseIntVector) batch.getVector("value")).getValueAsLong(row)));
                    assertEquals(expected, found, "key " + k);
                    assertEquals(expected.size(), count);
                }
            }
        }
    }
}
