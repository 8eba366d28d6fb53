package dev.recstage.behavior;

import dev.recstage.core.config.Settings;
import dev.recstage.core.history.Aggregation;
import dev.recstage.core.history.EventWeights;
import dev.recstage.core.history.HistorySettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The checked, effective behaviour settings: configuration plus command-line overrides. Every
 * bad value is exit 2 with the variable's name, the value and what is expected.
 *
 * @param eventWeights    as configured; empty means "decide from the features" ({@link dev.recstage.core.history.WeightSource})
 * @param halfLifeDays    0 = no recency decay
 * @param topK            neighbours per item ({@code --top-k}, else {@code BEHAVIOR_SIMILARITY_TOP_K}, else {@code SIMILARITY_TOP_K})
 */
public record BehaviorSettings(Optional<EventWeights> eventWeights, Aggregation aggregation, double halfLifeDays,
                               int maxItemsPerUser, Metric metric, int minCooccurrence, int topK) {
    public static BehaviorSettings of(BehaviorConfig config, int similarityTopK, Integer topKOption) {
        HistorySettings history = HistorySettings.of(config);
        Metric metric = HistorySettings.choice("BEHAVIOR_METRIC", config.metric(), Metric.class);
        int minCooccurrence = Settings.positive("BEHAVIOR_MIN_COOCCURRENCE", config.minCooccurrence());
        // Refused even when overridden, like a SIMILARITY_TOP_K that is not a number: a bad shared knob is never silent.
        Settings.positive("SIMILARITY_TOP_K", similarityTopK);
        int topK = Settings.topK("--top-k / BEHAVIOR_SIMILARITY_TOP_K / SIMILARITY_TOP_K",
                Settings.override(topKOption, config.similarityTopK().orElse(similarityTopK)));
        return new BehaviorSettings(history.eventWeights(), history.aggregation(), history.halfLifeDays(),
                history.maxItemsPerUser(), metric, minCooccurrence, topK);
    }

    /** The effective values under their public names, for the manifest. */
    public Map<String, String> describe(EventWeights effectiveWeights) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("BEHAVIOR_EVENT_WEIGHTS", effectiveWeights.toString());
        config.put("BEHAVIOR_AGGREGATION", aggregation.configName());
        config.put("BEHAVIOR_HALF_LIFE_DAYS", Double.toString(halfLifeDays));
        config.put("BEHAVIOR_MAX_ITEMS_PER_USER", Integer.toString(maxItemsPerUser));
        config.put("BEHAVIOR_METRIC", metric.configName());
        config.put("BEHAVIOR_MIN_COOCCURRENCE", Integer.toString(minCooccurrence));
        config.put("BEHAVIOR_SIMILARITY_TOP_K", Integer.toString(topK));
        return config;
    }
}
