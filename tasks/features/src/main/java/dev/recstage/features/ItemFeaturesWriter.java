package dev.recstage.features;

import dev.recstage.core.arrow.Schemas;
import dev.recstage.core.arrow.TableWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampSecTZVector;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * {@code item_features.arrow}: per item, events per type over the 7 and 30 days up to the as-of
 * time, distinct users over 30 days, last event time, days since it and age in days. Each count
 * column takes the narrowest integer type that holds its largest value.
 */
final class ItemFeaturesWriter {
    private static final long DAY = 86_400;

    private ItemFeaturesWriter() {
    }

    static long write(Path file, InteractionTable table, int[] order, Map<String, Byte> events, long[] createTime,
                      long asOf, BufferAllocator allocator) {
        int items = createTime.length;
        int eventCount = events.size();
        int[][] week = new int[eventCount][items];
        int[][] month = new int[eventCount][items];
        int[] monthUsers = new int[items];
        int[] lastUserSeen = new int[items];
        java.util.Arrays.fill(lastUserSeen, -1);
        long[] lastEvent = new long[items];
        java.util.Arrays.fill(lastEvent, Long.MIN_VALUE);
        for (int r : order) {
            int item = table.item(r);
            long t = table.time(r);
            if (t > asOf) {
                continue;
            }
            lastEvent[item] = Math.max(lastEvent[item], t);
            if (t > asOf - 30 * DAY) {
                month[table.event(r)][item]++;
                // Rows come grouped by user, so one marker per item counts each user once.
                if (lastUserSeen[item] != table.user(r)) {
                    lastUserSeen[item] = table.user(r);
                    monthUsers[item]++;
                }
                if (t > asOf - 7 * DAY) {
                    week[table.event(r)][item]++;
                }
            }
        }
        long[] sinceLast = new long[items];
        long[] age = new long[items];
        for (int i = 0; i < items; i++) {
            sinceLast[i] = lastEvent[i] == Long.MIN_VALUE ? Long.MIN_VALUE : Math.floorDiv(asOf - lastEvent[i], DAY);
            age[i] = createTime[i] == ItemCatalog.NO_TIME ? Long.MIN_VALUE : Math.floorDiv(asOf - createTime[i], DAY);
        }

        List<Field> fields = new ArrayList<>();
        List<long[]> values = new ArrayList<>();
        for (Map.Entry<String, Byte> event : events.entrySet()) {
            addCount(fields, values, event.getKey() + "_7d", toLong(week[event.getValue()]));
            addCount(fields, values, event.getKey() + "_30d", toLong(month[event.getValue()]));
        }
        addCount(fields, values, "users_30d", toLong(monthUsers));
        addCount(fields, values, "days_since_last_event", sinceLast);
        addCount(fields, values, "age_days", age);
        fields.add(Schemas.nullable("last_event_time", Schemas.TIMESTAMP_S));

        try (TableWriter out = TableWriter.open(file, Schemas.itemFeatures(fields), allocator)) {
            IntVector item = out.vector("item", IntVector.class);
            TimeStampSecTZVector last = out.vector("last_event_time", TimeStampSecTZVector.class);
            BaseIntVector[] columns = new BaseIntVector[values.size()];
            for (int c = 0; c < columns.length; c++) {
                columns[c] = (BaseIntVector) out.root().getVector(fields.get(c).getName());
            }
            int row = 0;
            for (int i = 0; i < items; i++) {
                item.set(row, i);
                for (int c = 0; c < columns.length; c++) {
                    long v = values.get(c)[i];
                    if (v == Long.MIN_VALUE) {
                        columns[c].setNull(row);
                    } else {
                        columns[c].setWithPossibleTruncate(row, v);
                    }
                }
                if (lastEvent[i] == Long.MIN_VALUE) {
                    last.setNull(row);
                } else {
                    last.set(row, lastEvent[i]);
                }
                if (++row == TableWriter.BATCH_ROWS) {
                    out.writeBatch(row);
                    row = 0;
                }
            }
            out.writeBatch(row);
            return out.rows();
        }
    }

    /** A count column, nullable where the value is {@code Long.MIN_VALUE}, typed for its largest magnitude. */
    private static void addCount(List<Field> fields, List<long[]> values, String name, long[] column) {
        long max = 0;
        for (long v : column) {
            if (v != Long.MIN_VALUE) {
                max = Math.max(max, Math.abs(v));
            }
        }
        fields.add(Schemas.nullable(name, Schemas.narrowestInt(max)));
        values.add(column);
    }

    private static long[] toLong(int[] counts) {
        long[] result = new long[counts.length];
        for (int i = 0; i < counts.length; i++) {
            result[i] = counts[i];
        }
        return result;
    }
}
