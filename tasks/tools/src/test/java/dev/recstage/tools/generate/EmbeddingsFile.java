package dev.recstage.tools.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/** Reads a generated embeddings.arrow with plain Arrow, checking the raw input schema of the features stage. */
final class EmbeddingsFile {
    private EmbeddingsFile() {
    }

    /** The vectors in file order; the ids must be {@code expectedIds} in that order. */
    static float[][] read(Path file, List<String> expectedIds, int dimension) throws Exception {
        float[][] vectors = new float[expectedIds.size()][];
        int row = 0;
        try (BufferAllocator allocator = new RootAllocator();
             FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
             ArrowFileReader reader = new ArrowFileReader(channel, allocator)) {
            List<Field> fields = reader.getVectorSchemaRoot().getSchema().getFields();
            assertEquals("item_id", fields.get(0).getName());
            assertEquals(ArrowType.Utf8.INSTANCE, fields.get(0).getType());
            assertEquals("embedding", fields.get(1).getName());
            assertEquals(new ArrowType.FixedSizeList(dimension), fields.get(1).getType());
            assertEquals(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE), fields.get(1).getChildren().get(0).getType());
            while (reader.loadNextBatch()) {
                VarCharVector ids = (VarCharVector) reader.getVectorSchemaRoot().getVector("item_id");
                FixedSizeListVector lists = (FixedSizeListVector) reader.getVectorSchemaRoot().getVector("embedding");
                Float4Vector values = (Float4Vector) lists.getDataVector();
                for (int r = 0; r < reader.getVectorSchemaRoot().getRowCount(); r++, row++) {
                    assertEquals(expectedIds.get(row), ids.getObject(r).toString());
                    vectors[row] = new float[dimension];
                    for (int d = 0; d < dimension; d++) {
                        vectors[row][d] = values.get(r * dimension + d);
                    }
                }
            }
        }
        assertEquals(expectedIds.size(), row, "one vector per item");
        return vectors;
    }
}
