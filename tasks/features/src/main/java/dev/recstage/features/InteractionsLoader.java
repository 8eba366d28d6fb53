package dev.recstage.features;

import dev.recstage.core.cli.StageException;
import dev.recstage.core.progress.Progress;
import dev.recstage.features.input.Column;
import dev.recstage.features.input.RawRecord;
import dev.recstage.features.input.RecordSource;
import dev.recstage.features.input.Reject;
import dev.recstage.features.input.Timestamps;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Reads the interactions file into an {@link InteractionTable}: ids mapped to dense indices,
 * event types to codes, timestamps to seconds, weights checked; bad rows go to the reject log.
 */
final class InteractionsLoader {
    static final String USER_ID = "user_id";
    static final String ITEM_ID = "item_id";
    static final String EVENT_TYPE = "event_type";
    static final String CREATE_TIME = "create_time";
    static final String WEIGHT = "weight";
    /** The event of rows from files without an event_type column. */
    static final String DEFAULT_EVENT = "interaction";
    static final List<Column> COLUMNS = List.of(Column.required(USER_ID), Column.required(ITEM_ID),
            Column.optional(EVENT_TYPE), Column.required(CREATE_TIME), Column.optional(WEIGHT));
    private static final int C_USER = 0;
    private static final int C_ITEM = 1;
    private static final int C_EVENT = 2;
    private static final int C_TIME = 3;
    private static final int C_WEIGHT = 4;

    /** What was loaded, with the figures the manifest and the memory log need. */
    record Loaded(InteractionTable table, IdIndex users, Map<String, Byte> events, long rowsRead,
                  long beforeSince, boolean weightColumn, long wideBytes) {
    }

    private final RejectLog rejects;
    private final IdIndex items;
    private final OptionalLong since;

    InteractionsLoader(RejectLog rejects, IdIndex items, OptionalLong since) {
        this.rejects = rejects;
        this.items = items;
        this.since = since;
    }

    Loaded load(RecordSource source, Progress progress) {
        InteractionTable table = new InteractionTable();
        IdIndex users = new IdIndex();
        Map<String, Byte> events = new LinkedHashMap<>();
        boolean weightColumn = source.has(WEIGHT);
        long beforeSince = 0;
        long wide = 0;
        RawRecord record;
        while ((record = source.next()) != null) {
            if ((source.rows() & 0xFFFF) == 0) {
                progress.update(source.rows());
            }
            if (record.isRejected()) {
                rejects.reject(source.fileName(), record.line(), record.reject());
                continue;
            }
            String[] v = record.values();
            Reject reject = null;
            int item = v[C_ITEM] == null ? -1 : items.indexOf(v[C_ITEM]);
            long time = 0;
            float weight = 1f;
            if (v[C_USER] == null || v[C_ITEM] == null) {
                reject = new Reject(Reject.EMPTY_ID, v[C_USER] == null ? "empty user_id" : "empty item_id");
            } else if (item < 0) {
                reject = new Reject(Reject.UNKNOWN_ITEM, "item_id '" + v[C_ITEM] + "' is not in the items file");
            } else {
                try {
                    time = Timestamps.parseEpochSeconds(v[C_TIME] == null ? "" : v[C_TIME]);
                } catch (IllegalArgumentException e) {
                    reject = new Reject(Reject.BAD_TIMESTAMP, "create_time " + e.getMessage());
                }
                if (reject == null && v[C_WEIGHT] != null) {
                    weight = parseWeight(v[C_WEIGHT]);
                    if (!(weight >= 0 && Float.isFinite(weight))) {
                        reject = new Reject(Reject.BAD_WEIGHT, "weight '" + v[C_WEIGHT] + "' is not a finite number ≥ 0");
                    }
                }
            }
            if (reject != null) {
                rejects.reject(source.fileName(), record.line(), reject);
                continue;
            }
            if (since.isPresent() && time < since.getAsLong()) {
                beforeSince++;
                continue;
            }
            String eventName = v[C_EVENT] == null ? DEFAULT_EVENT : v[C_EVENT];
            Byte event = events.get(eventName);
            if (event == null) {
                if (events.size() > Byte.MAX_VALUE) {
                    throw StageException.inputAt(source.fileName(), record.line(), 0,
                            "more than " + (Byte.MAX_VALUE + 1) + " distinct event types; is event_type mapped to the right column?");
                }
                event = (byte) events.size();
                events.put(eventName, event);
            }
            int user = users.add(v[C_USER]);
            table.add(user, item, event, weight, time);
            wide += ItemCatalog.javaString(v[C_USER]) + ItemCatalog.javaString(v[C_ITEM])
                    + ItemCatalog.javaString(eventName) + 8 + 8;
        }
        progress.update(source.rows());
        progress.finish();
        return new Loaded(table, users, events, source.rows(), beforeSince, weightColumn, wide);
    }

    private static float parseWeight(String text) {
        try {
            return Float.parseFloat(text.trim());
        } catch (NumberFormatException e) {
            return Float.NaN;
        }
    }
}
