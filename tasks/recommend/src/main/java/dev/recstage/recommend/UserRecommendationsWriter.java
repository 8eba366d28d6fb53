package dev.recstage.recommend;

import dev.recstage.core.arrow.Schemas;
import dev.recstage.core.arrow.TableWriter;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Streams {@code user_recommendations.arrow} from lists handed over in user order; holds one record
 * batch at most. A popularity list has {@code reason} popular and a null {@code because}.
 */
final class UserRecommendationsWriter implements AutoCloseable, UserListSink {
    static final String FILE = "user_recommendations.arrow";
    static final byte HISTORY = 0;
    static final byte POPULAR = 1;
    /** The names of the reason codes, in code order (the {@code reason} column's dictionary). */
    static final String[] REASON_NAMES = {"history", "popular"};

    private final TableWriter table;
    private final VarCharVector reasonNames;
    private final IntVector users;
    private final IntVector items;
    private final Float4Vector scores;
    private final SmallIntVector ranks;
    private final IntVector because;
    private final TinyIntVector reasons;

    private UserRecommendationsWriter(TableWriter table, VarCharVector reasonNames) {
        this.table = table;
        this.reasonNames = reasonNames;
        this.users = table.vector("user_id", IntVector.class);
        this.items = table.vector("item_id", IntVector.class);
        this.scores = table.vector("score", Float4Vector.class);
        this.ranks = table.vector("rank", SmallIntVector.class);
        this.because = table.vector("because", IntVector.class);
        this.reasons = table.vector("reason", TinyIntVector.class);
    }

    /** An upper bound of the file's size (for the stage's DiskPlan): at most {@code topN} rows per user; id bytes as {@code getBufferSize()}. */
    static long estimatedBytes(int users, int items, int topN, long userIdBytes, long itemIdBytes) {
        long rows = (long) users * Math.min(topN, items);
        // user_id, item_id int32; score float32; rank int16; because int32; reason int8; a validity bit
        // each (a byte in all); four dictionaries.
        return TableWriter.estimatedBytes(rows, 4 + 4 + 4 + 2 + 4 + 1 + 1, 6) + TableWriter.estimatedBytes(1, userIdBytes, 1)
                + 2 * TableWriter.estimatedBytes(1, itemIdBytes, 1) + TableWriter.estimatedBytes(1, CodeNames.MAX_BYTES, 1);
    }

    /** The ids in index order: {@code userIds} for {@code user_id}, {@code itemIds} for {@code item_id} and {@code because}. */
    static UserRecommendationsWriter open(Path file, VarCharVector userIds, VarCharVector itemIds, BufferAllocator allocator) {
        Schema schema = Schemas.userRecommendations();
        VarCharVector reasonNames = CodeNames.vector("reason", REASON_NAMES, allocator);
        try {
            return new UserRecommendationsWriter(TableWriter.open(file, schema, allocator,
                    new Dictionary(userIds, schema.findField("user_id").getDictionary()),
                    new Dictionary(itemIds, schema.findField("item_id").getDictionary()),
                    new Dictionary(itemIds, schema.findField("because").getDictionary()),
                    new Dictionary(reasonNames, schema.findField("reason").getDictionary())), reasonNames);
        } catch (RuntimeException e) {
            reasonNames.close();
            throw e;
        }
    }

    @Override
    public void accept(int user, int[] listItems, float[] listScores, int[] listBecause, int offset, int count, boolean popular) {
        for (int r = 0; r < count; r++) {
            int row = table.row();
            users.setSafe(row, user);
            items.setSafe(row, listItems[offset + r]);
            scores.setSafe(row, listScores[offset + r]);
            ranks.setSafe(row, r + 1);
            if (popular) {
                because.setNull(row);
            } else {
                because.setSafe(row, listBecause[offset + r]);
            }
            reasons.setSafe(row, popular ? POPULAR : HISTORY);
            table.endRow();
        }
    }

    long rows() {
        return table.rowsWithPending();
    }

    @Override
    public void close() {
        try {
            table.close();
        } finally {
            reasonNames.close();
        }
    }
}
