package dev.recstage.core.history;

import dev.recstage.core.io.Manifest;
import java.util.Optional;

/**
 * Chooses the event weights when {@code BEHAVIOR_EVENT_WEIGHTS} is unset: the rows' own weights
 * when the features stage took them from a column of the raw interactions (ratings, say), else
 * the default table. The features manifest says so in {@code stats.weight_source}
 * ({@value #FROM_COLUMN}, or {@code constant 1.0}); without that key the table applies.
 */
public final class WeightSource {
    public static final String STATS_KEY = "weight_source";
    public static final String FROM_COLUMN = "column";

    private WeightSource() {
    }

    public static EventWeights effective(Optional<EventWeights> configured, Manifest features) {
        if (configured.isPresent()) {
            return configured.get();
        }
        Object source = features.stats.get(STATS_KEY);
        return FROM_COLUMN.equals(source) ? EventWeights.rowWeights() : EventWeights.parse(EventWeights.DEFAULT_TABLE);
    }
}
