package dev.recstage.tools.generate;

import dev.recstage.core.arrow.TableWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Writes {@code embeddings.arrow}, the raw embeddings input of the features stage ({@code item_id:
 * utf8}, {@code embedding: fixed_size_list<float32>[d]}; no recstage metadata, as an external
 * model would write it). A vector is its topic's centre plus the noise of the item it is an
 * edition of plus a little of its own, so vectors agree with the text on who is near whom.
 */
final class EmbeddingsGenerator {
    static final String FILE = "embeddings.arrow";
    private static final double ORIGIN_NOISE = 0.7;
    private static final double EDITION_NOISE = 0.2;

    private final ItemCatalog items;
    private final long seed;
    private final int dimension;

    EmbeddingsGenerator(ItemCatalog items, int dimension, long seed) {
        this.items = items;
        this.dimension = dimension;
        this.seed = seed;
    }

    static Schema schema(int dimension) {
        Field element = new Field("item", FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null);
        Field embedding = new Field("embedding", FieldType.notNullable(new ArrowType.FixedSizeList(dimension)), List.of(element));
        return new Schema(List.of(new Field("item_id", FieldType.notNullable(ArrowType.Utf8.INSTANCE), null), embedding));
    }

    void write(Path file, int topicCount, BufferAllocator allocator) {
        double[][] centres = new double[topicCount][];
        for (int t = 0; t < topicCount; t++) {
            centres[t] = gaussians(Draws.stream(seed, Draws.Purpose.TOPIC_CENTRES, t), 1.0);
        }
        // Batches of about 16 MB of floats, whatever the dimension.
        int batchRows = Math.max(1, Math.min(TableWriter.BATCH_ROWS, (16 << 20) / (4 * dimension)));
        try (TableWriter table = TableWriter.open(file, schema(dimension), allocator)) {
            VarCharVector ids = table.vector("item_id", VarCharVector.class);
            FixedSizeListVector lists = table.vector("embedding", FixedSizeListVector.class);
            int row = 0;
            for (int i = 0; i < items.size(); i++) {
                double[] centre = centres[items.topic()[i]];
                double[] origin = gaussians(Draws.stream(seed, Draws.Purpose.ORIGIN_NOISE, items.origin()[i]), ORIGIN_NOISE);
                double[] own = gaussians(Draws.stream(seed, Draws.Purpose.EDITION_NOISE, i), EDITION_NOISE);
                ids.setSafe(row, items.ids()[i].getBytes(StandardCharsets.UTF_8));
                lists.setNotNull(row);
                Float4Vector values = (Float4Vector) lists.getDataVector();
                for (int d = 0; d < dimension; d++) {
                    values.setSafe(row * dimension + d, (float) (centre[d] + origin[d] + own[d]));
                }
                if (++row == batchRows) {
                    table.writeBatch(row);
                    row = 0;
                }
            }
            if (row > 0) {
                table.writeBatch(row);
            }
        }
    }

    private double[] gaussians(SplittableRandom rng, double sigma) {
        double[] values = new double[dimension];
        for (int d = 0; d < dimension; d++) {
            values[d] = sigma * Draws.gaussian(rng);
        }
        return values;
    }
}
