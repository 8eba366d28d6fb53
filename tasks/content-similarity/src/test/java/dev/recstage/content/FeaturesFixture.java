package dev.recstage.content;

import dev.recstage.core.arrow.Schemas;
import dev.recstage.core.arrow.TableWriter;
import dev.recstage.core.features.FeaturesInput;
import dev.recstage.core.io.Manifest;
import dev.recstage.core.io.OutputDirectory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampSecTZVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.types.pojo.ArrowType;

/** Writes a features output (items.arrow, optional embeddings.arrow, manifest) for command tests. */
final class FeaturesFixture {
    record Item(String id, String title, String description, String tags, String category) {
    }

    private FeaturesFixture() {
    }

    /** Items whose words follow a Zipf-like law over a small vocabulary, with duplicates (ties) and empty texts. */
    static List<Item> generatedItems(int count, long seed) {
        Random random = new Random(seed);
        String[] categories = {"books", "movies", "music", "games"};
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (i > 0 && i % 17 == 0) {
                Item copy = items.get(random.nextInt(items.size()));
                items.add(new Item("id-" + i, copy.title(), copy.description(), copy.tags(), copy.category()));
            } else if (i % 23 == 5) {
                items.add(new Item("id-" + i, null, "", null, null));
            } else {
                items.add(new Item("id-" + i, words(random, 2 + random.nextInt(4)), words(random, random.nextInt(12)),
                        words(random, random.nextInt(3)).replace(' ', '|'), categories[random.nextInt(categories.length)]));
            }
        }
        return items;
    }

    private static String words(Random random, int count) {
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < count; w++) {
            int rank = (int) Math.floor(Math.pow(300, random.nextDouble())); // Zipf-like: rank r with probability ~ 1/r
            text.append(w == 0 ? "" : random.nextInt(5) == 0 ? ", " : " ").append(word(rank));
        }
        return text.toString();
    }

    private static String word(int rank) {
        String letters = "abcdefghijklmnopqrstuvwxyz";
        return "" + letters.charAt(rank % 26) + letters.charAt((rank / 26) % 26) + "x" + rank;
    }

    /** Vectors in a few clusters; every seventh item has none (a zero row). */
    static float[][] generatedVectors(int count, int dimension, long seed) {
        Random random = new Random(seed);
        float[][] centres = new float[5][dimension];
        for (float[] centre : centres) {
            for (int k = 0; k < dimension; k++) {
                centre[k] = (float) random.nextGaussian();
            }
        }
        float[][] vectors = new float[count][];
        for (int i = 0; i < count; i++) {
            if (i % 7 == 3) {
                continue;
            }
            float[] centre = centres[random.nextInt(centres.length)];
            vectors[i] = new float[dimension];
            for (int k = 0; k < dimension; k++) {
                vectors[i][k] = centre[k] + (float) (0.5 * random.nextGaussian());
            }
        }
        return vectors;
    }

    static void write(Path dir, List<Item> items, float[][] vectors) {
        try (BufferAllocator allocator = new RootAllocator(); OutputDirectory out = OutputDirectory.create(dir)) {
            Manifest manifest = new Manifest();
            manifest.stage = FeaturesInput.STAGE;
            writeItems(out.file(FeaturesInput.ITEMS_FILE), items, allocator);
            manifest.outputs.add(new Manifest.OutputFile(FeaturesInput.ITEMS_FILE, out.size(FeaturesInput.ITEMS_FILE), (long) items.size()));
            if (vectors != null) {
                writeVectors(out.file(FeaturesInput.EMBEDDINGS_FILE), vectors, allocator);
                manifest.outputs.add(new Manifest.OutputFile(FeaturesInput.EMBEDDINGS_FILE, out.size(FeaturesInput.EMBEDDINGS_FILE), (long) vectors.length));
            }
            out.commit(manifest);
        }
    }

    private static void writeItems(Path file, List<Item> items, BufferAllocator allocator) {
        Map<String, Integer> codes = new LinkedHashMap<>();
        for (Item item : items) {
            if (item.category() != null) {
                codes.putIfAbsent(item.category(), codes.size());
            }
        }
        try (VarCharVector dictionary = new VarCharVector("category", allocator)) {
            List<String> names = new ArrayList<>(codes.keySet());
            for (int c = 0; c < names.size(); c++) {
                dictionary.setSafe(c, names.get(c).getBytes(StandardCharsets.UTF_8));
            }
            dictionary.setValueCount(names.size());
            var schema = Schemas.items((ArrowType.Int) Schemas.INT8);
            Dictionary categories = new Dictionary(dictionary, schema.findField("category").getDictionary());
            try (TableWriter table = TableWriter.open(file, schema, allocator, categories)) {
                IntVector item = table.vector("item", IntVector.class);
                TinyIntVector category = table.vector("category", TinyIntVector.class);
                TimeStampSecTZVector created = table.vector("create_time", TimeStampSecTZVector.class);
                int batch = 0;
                for (int i = 0; i < items.size(); i++) {
                    Item it = items.get(i);
                    item.setSafe(batch, i);
                    text(table, "item_id", batch, it.id());
                    text(table, "title", batch, it.title());
                    text(table, "description", batch, it.description());
                    text(table, "tags", batch, it.tags());
                    if (it.category() == null) {
                        category.setNull(batch);
                    } else {
                        category.setSafe(batch, codes.get(it.category()));
                    }
                    created.setSafe(batch, 1_700_000_000L + i);
                    // Small batches: the stage must stream across batch boundaries.
                    if (++batch == 50) {
                        table.writeBatch(batch);
                        batch = 0;
                    }
                }
                if (batch > 0 || items.isEmpty()) {
                    table.writeBatch(batch);
                }
            }
        }
    }

    private static void text(TableWriter table, String column, int row, String value) {
        VarCharVector vector = table.vector(column, VarCharVector.class);
        if (value == null) {
            vector.setNull(row);
        } else {
            vector.setSafe(row, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void writeVectors(Path file, float[][] vectors, BufferAllocator allocator) {
        int dimension = 0;
        for (float[] v : vectors) {
            if (v != null) {
                dimension = v.length;
            }
        }
        try (TableWriter table = TableWriter.open(file, Schemas.embeddings(dimension), allocator)) {
            IntVector item = table.vector("item", IntVector.class);
            FixedSizeListVector lists = table.vector("embedding", FixedSizeListVector.class);
            Float4Vector elements = (Float4Vector) lists.getDataVector();
            int row = 0;
            for (int i = 0; i < vectors.length; i++) {
                if (vectors[i] == null) {
                    continue; // absent from the file: FeaturesInput gives it a zero row
                }
                item.setSafe(row, i);
                lists.startNewValue(row);
                for (int k = 0; k < dimension; k++) {
                    elements.setSafe(row * dimension + k, vectors[i][k]);
                }
                lists.setNotNull(row);
                row++;
            }
            for (FieldVector v : table.root().getFieldVectors()) {
                v.setValueCount(row);
            }
            table.writeBatch(row);
        }
    }
}
