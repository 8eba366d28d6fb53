package dev.recstage.content.incremental;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.recstage.core.arrow.NeighborsWriter;
import dev.recstage.core.engine.BlockListener;
import dev.recstage.core.engine.CsrMatrix;
import dev.recstage.core.engine.ExactRows;
import dev.recstage.core.engine.PairScorer;
import dev.recstage.core.engine.TopKEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarCharVector;

/**
 * The incremental merge against a full run on random catalogues: previous lists (top K + spares)
 * of an old catalogue from the engine, the catalogue changed (items added anywhere, changed,
 * removed; unchanged items in their order), then the merge must emit exactly the engine's top K of
 * the new catalogue, float bits and tie order included. Weights of 1 to 3 before normalisation make
 * many equal scores, so ties at the K-th place are common.
 */
class IncrementalMergePropertyTest {

    /** One item: id and its row (column, weight pairs; no two equal columns). */
    record Item(String id, int[] columns, float[] weights) {
        /**
         * 64 bits of the row's MD5, as wide as the stage's text hash. The 32-bit Arrays.hashCode once
         * gave a changed item's new row the old row's hash, so the change went unseen (seed -21288767921117).
         */
        long hash() {
            return UUID.nameUUIDFromBytes((Arrays.toString(columns) + Arrays.toString(weights)).getBytes(StandardCharsets.UTF_8))
                    .getMostSignificantBits();
        }
    }

    @Property(tries = 300)
    void mergeEqualsAFullRun(@ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int items, @ForAll @IntRange(min = 2, max = 25) int terms,
                             @ForAll @IntRange(min = 1, max = 8) int k, @ForAll @IntRange(min = 0, max = 4) int spares,
                             @ForAll @IntRange(min = 1, max = 3) int threads, @ForAll boolean keepDirtyLists) throws IOException {
        Random random = new Random(seed);
        List<Item> before = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            before.add(randomItem("old" + i, terms, random));
        }
        List<Item> after = changed(before, terms, random);

        CatalogueChanges changes = CatalogueChanges.between(catalogue(before), catalogue(after));
        assertFalse(!changes.orderKept(), "the generator keeps unchanged items in order");
        Path dir = Files.createTempDirectory("incremental-merge");
        try (BufferAllocator allocator = new RootAllocator()) {
            Path main = dir.resolve("content_neighbors.arrow");
            Path spare = dir.resolve("content_spares.arrow");
            writePrevious(before, terms, k, spares, main, spare, allocator);

            CsrMatrix a = matrix(after, terms);
            CsrMatrix aT = a.transpose();
            List<String> expected = new ArrayList<>();
            new TopKEngine(2, 7).run(a, aT, PairScorer.cosine(), k, 0, a.rows(), (row, n, s, count) -> expected.add(line(row, n, s, count)),
                    BlockListener.NONE);
            List<String> actual = new ArrayList<>();
            ExactRows[] workers = new ExactRows[threads];
            for (int w = 0; w < threads; w++) {
                workers[w] = new ExactRows(a, aT, PairScorer.cosine(), k);
            }
            IncrementalMerge.Stats stats = IncrementalMerge.run(workers, k + spares, changes,
                    () -> new PreviousNeighbors(List.of(main), spares > 0 ? List.of(spare) : List.of(), k + spares, allocator),
                    (row, n, s, count) -> actual.add(line(row, n, s, count)), keepDirtyLists ? Long.MAX_VALUE : 0);
            assertEquals(expected, actual, () -> "seed " + seed + ", " + changes.added() + " added, " + changes.changed() + " changed, "
                    + changes.removed() + " removed");
            Statistics.label("knocked rows rescored").collect(stats.knockedRows() > 0);
            Statistics.label("merged rows").collect(stats.dirtyRows() + stats.knockedRows() < after.size());
            // The dirty rows' top K kept from their first scatter, or (no bytes allowed) scored again.
            Statistics.label("dirty top K kept").collect(stats.dirtyRows() > 0 && keepDirtyLists);
            Statistics.label("knocked rows rescored").coverage(cov -> cov.check(true).percentage(p -> p > 5));
            Statistics.label("dirty top K kept").coverage(cov -> cov.check(true).percentage(p -> p > 20));
            Statistics.label("merged rows").coverage(cov -> cov.check(true).percentage(p -> p > 50));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(IncrementalMergePropertyTest::delete);
            }
        }
    }

    /**
     * Removes, changes and adds up to a third of the items each, or (one case in four) adds one item
     * only, the small change of an incremental run; additions go anywhere, the rest keep their order.
     */
    private static List<Item> changed(List<Item> before, int terms, Random random) {
        if (random.nextInt(4) == 0) {
            List<Item> after = new ArrayList<>(before);
            after.add(random.nextInt(after.size() + 1), randomItem("new", terms, random));
            return after;
        }
        List<Item> after = new ArrayList<>();
        int changes = 0;
        for (Item item : before) {
            int what = random.nextInt(6);
            if (what == 0) {
                continue; // removed
            }
            after.add(what == 1 ? randomItem(item.id(), terms, random) : item);
            changes += what == 1 ? 1 : 0;
        }
        int added = random.nextInt(before.size() / 3 + 2);
        for (int n = 0; n < added; n++) {
            after.add(random.nextInt(after.size() + 1), randomItem("new" + n, terms, random));
        }
        return after;
    }

    private static Item randomItem(String id, int terms, Random random) {
        int nnz = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(Math.min(terms, 5));
        int[] columns = random.ints(0, terms).distinct().limit(nnz).sorted().toArray();
        float[] weights = new float[columns.length];
        for (int c = 0; c < weights.length; c++) {
            weights[c] = 1 + random.nextInt(3);
        }
        return new Item(id, columns, weights);
    }

    private static ItemTextHashes.Catalogue catalogue(List<Item> items) {
        return new ItemTextHashes.Catalogue(items.stream().map(Item::id).toArray(String[]::new),
                items.stream().mapToLong(Item::hash).toArray());
    }

    private static CsrMatrix matrix(List<Item> items, int terms) {
        int[] rowPtr = new int[items.size() + 1];
        for (int i = 0; i < items.size(); i++) {
            rowPtr[i + 1] = rowPtr[i] + items.get(i).columns().length;
        }
        int[] columns = new int[rowPtr[items.size()]];
        float[] values = new float[columns.length];
        for (int i = 0; i < items.size(); i++) {
            System.arraycopy(items.get(i).columns(), 0, columns, rowPtr[i], items.get(i).columns().length);
            System.arraycopy(items.get(i).weights(), 0, values, rowPtr[i], items.get(i).weights().length);
        }
        return CsrMatrix.of(items.size(), terms, rowPtr, columns, values).normalizeRows();
    }

    /** The old catalogue's full output with spares, as a content-similarity run writes it. */
    private static void writePrevious(List<Item> items, int terms, int k, int spares, Path main, Path spare, BufferAllocator allocator) {
        CsrMatrix a = matrix(items, terms);
        try (VarCharVector ids = new VarCharVector("item_id", allocator)) {
            for (int i = 0; i < items.size(); i++) {
                ids.setSafe(i, items.get(i).id().getBytes(StandardCharsets.UTF_8));
            }
            ids.setValueCount(items.size());
            try (NeighborsWriter mainWriter = NeighborsWriter.open(main, ids, allocator);
                 NeighborsWriter spareWriter = NeighborsWriter.open(spare, ids, allocator)) {
                new TopKEngine(1, 5).run(a, a.transpose(), PairScorer.cosine(), k + spares, 0, a.rows(),
                        new SpareNeighbors(mainWriter, spareWriter, k, spares), BlockListener.NONE);
            }
        }
    }

    private static String line(int row, int[] neighbors, float[] scores, int count) {
        StringBuilder text = new StringBuilder().append(row).append(':');
        for (int r = 0; r < count; r++) {
            text.append(' ').append(neighbors[r]).append('=').append(Integer.toHexString(Float.floatToRawIntBits(scores[r])));
        }
        return text.toString();
    }

    private static void delete(Path path) {
        try {
            Files.delete(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
