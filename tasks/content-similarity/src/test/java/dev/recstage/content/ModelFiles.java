package dev.recstage.content;

import dev.recstage.core.arrow.Schemas;
import dev.recstage.core.arrow.TableWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.pojo.Schema;

/** Model files that a current stage must refuse. */
final class ModelFiles {
    private ModelFiles() {
    }

    /** An empty tfidf_model table whose metadata claims another schema version. */
    static void writeWithSchemaVersion(Path file, String version) {
        Schema current = Schemas.tfidfModel(Map.of());
        Map<String, String> metadata = new HashMap<>(current.getCustomMetadata());
        metadata.put(Schemas.VERSION_KEY, version);
        try (BufferAllocator allocator = new RootAllocator();
             TableWriter table = TableWriter.open(file, new Schema(current.getFields(), metadata), allocator)) {
            table.writeBatch(0);
        }
    }
}
