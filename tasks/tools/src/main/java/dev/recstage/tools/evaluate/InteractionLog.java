package dev.recstage.tools.evaluate;

import dev.recstage.core.arrow.Schemas;
import dev.recstage.core.arrow.TableReader;
import dev.recstage.core.features.FeaturesInput;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * A features output's interactions in memory, as the features stage wrote them (cleaned,
 * de-duplicated, grouped by user in time order), with the original user and item ids. Evaluation
 * data sets are small enough for that; the stages themselves never hold them like this.
 */
public record InteractionLog(int[] user, int[] item, byte[] event, float[] weight, long[] epochSeconds,
                             String[] userIds, String[] itemIds, List<String> eventNames, boolean weightColumn) {
    /** Key of the features manifest's stats that says where the weights came from. */
    private static final String WEIGHT_SOURCE = "weight_source";

    public int size() {
        return user.length;
    }

    public static InteractionLog read(FeaturesInput features, BufferAllocator allocator) {
        int rows = Math.toIntExact(features.interactionCount());
        int[] user = new int[rows];
        int[] item = new int[rows];
        byte[] event = new byte[rows];
        float[] weight = new float[rows];
        long[] ts = new long[rows];
        int[] next = {0};
        features.forEachInteractionBatch(allocator, batch -> {
            int at = next[0];
            System.arraycopy(batch.user(), 0, user, at, batch.rows());
            System.arraycopy(batch.item(), 0, item, at, batch.rows());
            System.arraycopy(batch.event(), 0, event, at, batch.rows());
            System.arraycopy(batch.weight(), 0, weight, at, batch.rows());
            System.arraycopy(batch.epochSeconds(), 0, ts, at, batch.rows());
            next[0] = at + batch.rows();
        });
        String[] itemIds;
        try (VarCharVector ids = features.itemIds(allocator)) {
            itemIds = new String[ids.getValueCount()];
            for (int i = 0; i < itemIds.length; i++) {
                itemIds[i] = new String(ids.get(i), StandardCharsets.UTF_8);
            }
        }
        List<String> events = rows == 0 ? List.of() : features.eventNames(allocator);
        boolean weightColumn = "column".equals(String.valueOf(features.directory().manifest().stats.get(WEIGHT_SOURCE)));
        return new InteractionLog(user, item, event, weight, ts, userIds(features, allocator), itemIds, events, weightColumn);
    }

    private static String[] userIds(FeaturesInput features, BufferAllocator allocator) {
        String[] ids = new String[features.userCount()];
        try (TableReader reader = TableReader.open(features.directory().file(FeaturesInput.USERS_FILE), Schemas.USERS, allocator)) {
            while (reader.next()) {
                IntVector index = reader.vector("user", IntVector.class);
                VarCharVector id = reader.vector("user_id", VarCharVector.class);
                for (int r = 0; r < reader.root().getRowCount(); r++) {
                    ids[index.get(r)] = new String(id.get(r), StandardCharsets.UTF_8);
                }
            }
        }
        return ids;
    }
}
