package dev.recstage.features;

import dev.recstage.core.arrow.TableWriter;
import dev.recstage.core.io.DiskPlan;
import dev.recstage.core.features.FeaturesInput;
import dev.recstage.features.input.TextSize;

/**
 * Upper bounds of what the features stage writes, from its inputs' decompressed sizes and line
 * counts (a row is at most a line): a kept field's UTF-8 bytes are at most the bytes it took in the
 * file (quoting and JSON escapes only add), and every other column is fixed-width per row.
 */
final class FeaturesDiskPlan {
    /** Item features per event type (a 7- and a 30-day count); the types are known only after reading, so this many are planned for. */
    static final int PLANNED_EVENT_TYPES = 8;
    /** A rejects.csv row besides the rejected line's own text: file name, line number, reason and the words of its detail. */
    private static final long REJECT_ROW_BYTES = 192;

    private FeaturesDiskPlan() {
    }

    static DiskPlan of(TextSize items, TextSize interactions, int embeddingDimension, double maxRejectRatio) {
        DiskPlan plan = new DiskPlan()
                // The spill: four length-prefixed texts per row.
                .file(ItemSpill.FILE_NAME, items.bytes() + 4L * ItemSpill.FIELDS * items.lines())
                // item, four text offsets, category code, create_time, validity; the texts and categories themselves.
                .file(FeaturesInput.ITEMS_FILE, TableWriter.estimatedBytes(items.lines(), 4 + 4 * 4 + 4 + 8 + 1, 7) + items.bytes())
                // user, item, event, weight, ts, validity; the event dictionary is a few short names.
                .file(FeaturesInput.INTERACTIONS_FILE, TableWriter.estimatedBytes(interactions.lines(), 4 + 4 + 1 + 4 + 8 + 1, 5) + (64L << 10))
                // At most one user per line, their ids at most the file's bytes.
                .file(FeaturesInput.USERS_FILE, TableWriter.estimatedBytes(interactions.lines(), 4 + 4 + 1, 2) + interactions.bytes())
                // item, two counts per event type, users_30d, days_since_last_event, age_days, last_event_time (8 bytes at most each), validity.
                .file(FeaturesInput.ITEM_FEATURES_FILE, TableWriter.estimatedBytes(items.lines(),
                        4 + 8L * (2 * PLANNED_EVENT_TYPES + 4) + 3, 2 * PLANNED_EVENT_TYPES + 5))
                // More than this share of a file's rows rejected ends the run.
                .file(RejectLog.FILE_NAME, (long) Math.ceil(maxRejectRatio
                        * (2.0 * (items.bytes() + interactions.bytes()) + REJECT_ROW_BYTES * (items.lines() + interactions.lines()))));
        if (embeddingDimension > 0) {
            plan.file(FeaturesInput.EMBEDDINGS_FILE, TableWriter.estimatedBytes(items.lines(), 4 + 4L * embeddingDimension + 1, 2));
        }
        return plan;
    }
}
