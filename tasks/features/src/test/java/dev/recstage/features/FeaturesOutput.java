package dev.recstage.features;

import dev.recstage.core.arrow.Schemas;
import dev.recstage.core.arrow.TableReader;
import dev.recstage.core.features.FeaturesInput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;

/** A features output read back whole, for assertions (test data is small). */
record FeaturesOutput(List<String> itemIds, List<String[]> itemText, List<String> userIds, List<String> events,
                      List<long[]> interactions, Map<String, List<Object>> itemFeatures) {
    /** Interaction rows as {user, item, event, weight bits, ts}. */
    static FeaturesOutput read(Path dir) {
        FeaturesInput input = FeaturesInput.open(dir);
        try (BufferAllocator allocator = new RootAllocator()) {
            List<String> ids = new ArrayList<>();
            try (VarCharVector vector = input.itemIds(allocator)) {
                for (int i = 0; i < vector.getValueCount(); i++) {
                    ids.add(new String(vector.get(i), StandardCharsets.UTF_8));
                }
            }
            List<String[]> text = new ArrayList<>();
            input.forEachItemText(List.of("title", "description", "tags", "category"), allocator, (item, fields) -> {
                if (item != text.size()) {
                    throw new AssertionError("items out of order at " + item);
                }
                text.add(fields.clone());
            });
            List<String> users = new ArrayList<>();
            try (TableReader reader = TableReader.open(dir.resolve(FeaturesInput.USERS_FILE), Schemas.USERS, allocator)) {
                while (reader.next()) {
                    VarCharVector id = reader.vector("user_id", VarCharVector.class);
                    for (int r = 0; r < reader.root().getRowCount(); r++) {
                        users.add(new String(id.get(r), StandardCharsets.UTF_8));
                    }
                }
            }
            List<long[]> rows = new ArrayList<>();
            input.forEachInteractionBatch(allocator, batch -> {
                for (int r = 0; r < batch.rows(); r++) {
                    rows.add(new long[] {batch.user()[r], batch.item()[r], batch.event()[r],
                            Float.floatToIntBits(batch.weight()[r]), batch.epochSeconds()[r]});
                }
            });
            Map<String, List<Object>> features = new LinkedHashMap<>();
            try (TableReader reader = TableReader.open(dir.resolve(FeaturesInput.ITEM_FEATURES_FILE), Schemas.ITEM_FEATURES, allocator)) {
                while (reader.next()) {
                    for (FieldVector column : reader.root().getFieldVectors()) {
                        List<Object> values = features.computeIfAbsent(column.getName(), c -> new ArrayList<>());
                        for (int r = 0; r < reader.root().getRowCount(); r++) {
                            Object value = column.getObject(r);
                            values.add(value instanceof Number n ? (Object) n.longValue() : value);
                        }
                    }
                }
            }
            return new FeaturesOutput(ids, text, users, input.eventNames(allocator), rows, features);
        }
    }
}
