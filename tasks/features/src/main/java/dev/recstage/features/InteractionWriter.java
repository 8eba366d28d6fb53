package dev.recstage.features;

import dev.recstage.core.arrow.Schemas;
import dev.recstage.core.arrow.TableWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampSecTZVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.types.pojo.Schema;

/** Writes {@code users.arrow} and {@code interactions.arrow} from the loaded table, batch by batch. */
final class InteractionWriter {
    private InteractionWriter() {
    }

    /** Writes the ids in index order; returns rows written. */
    static long writeUsers(Path file, IdIndex users, BufferAllocator allocator) {
        try (TableWriter out = TableWriter.open(file, Schemas.users(), allocator)) {
            IntVector user = out.vector("user", IntVector.class);
            VarCharVector id = out.vector("user_id", VarCharVector.class);
            int row = 0;
            for (int index = 0; index < users.size(); index++) {
                user.set(row, index);
                id.setSafe(row, users.id(index).getBytes(StandardCharsets.UTF_8));
                if (++row == TableWriter.BATCH_ROWS) {
                    out.writeBatch(row);
                    row = 0;
                }
            }
            out.writeBatch(row);
            return out.rows();
        }
    }

    /** Writes the rows of {@code order}; event codes index {@code events} (insertion order). */
    static long writeInteractions(Path file, InteractionTable table, int[] order, Map<String, Byte> events, BufferAllocator allocator) {
        Schema schema = Schemas.interactions();
        try (VarCharVector names = new VarCharVector("event", allocator)) {
            for (Map.Entry<String, Byte> event : events.entrySet()) {
                names.setSafe(event.getValue(), event.getKey().getBytes(StandardCharsets.UTF_8));
            }
            names.setValueCount(events.size());
            Dictionary dictionary = new Dictionary(names, schema.findField("event").getDictionary());
            try (TableWriter out = TableWriter.open(file, schema, allocator, dictionary)) {
                IntVector user = out.vector("user", IntVector.class);
                IntVector item = out.vector("item", IntVector.class);
                TinyIntVector event = out.vector("event", TinyIntVector.class);
                Float4Vector weight = out.vector("weight", Float4Vector.class);
                TimeStampSecTZVector ts = out.vector("ts", TimeStampSecTZVector.class);
                int row = 0;
                for (int r : order) {
                    user.set(row, table.user(r));
                    item.set(row, table.item(r));
                    event.set(row, table.event(r));
                    weight.set(row, table.weight(r));
                    ts.set(row, table.time(r));
                    if (++row == TableWriter.BATCH_ROWS) {
                        out.writeBatch(row);
                        row = 0;
                    }
                }
                out.writeBatch(row);
                return out.rows();
            }
        }
    }
}
