package dev.recstage.recommend;

import dev.recstage.core.cli.StageException;
import dev.recstage.core.config.Settings;
import dev.recstage.core.history.HistoryConfig;
import dev.recstage.core.history.HistorySettings;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The checked, effective settings of one recommend run; every bad value is exit 2 naming it.
 *
 * @param history     event weights, aggregation, half-life and history cap of the users' histories
 * @param threads     worker threads scoring a block of users
 * @param batchUsers  users scored per block
 * @param minPasses   passes over neighbour ranges asked for (RECOMMEND_PASSES); 0: auto, as few as fit
 */
public record RecommendSettings(int relatedTopN, int userTopN, BlendWeights weights, boolean includeSeen,
                                HistorySettings history, int threads, int batchUsers, int minPasses) {
    public static RecommendSettings of(RecommendConfig config, HistoryConfig historyConfig, int threads, int batchUsers) {
        HistorySettings history = HistorySettings.of(historyConfig,
                "RECOMMEND_HALF_LIFE_DAYS / BEHAVIOR_HALF_LIFE_DAYS", config.recommendHalfLifeDays().orElse(historyConfig.halfLifeDays()),
                "RECOMMEND_MAX_HISTORY / BEHAVIOR_MAX_ITEMS_PER_USER", config.recommendMaxHistory().orElse(historyConfig.maxItemsPerUser()));
        return new RecommendSettings(
                Settings.topK("RELATED_TOP_N", config.relatedTopN()),
                Settings.topK("USER_TOP_N", config.userTopN()),
                new BlendWeights(config.relatedBehaviorWeight(), config.relatedContentWeight()),
                config.recommendIncludeSeen().on(),
                history,
                Settings.positive("--threads / SIMILARITY_THREADS", threads),
                Settings.positive("--batch-size / RECOMMEND_BATCH_SIZE", batchUsers),
                passes(config.recommendPasses()));
    }

    private static final String AUTO = "auto";

    private static int passes(String value) {
        String trimmed = value.trim();
        if (trimmed.equalsIgnoreCase(AUTO)) {
            return 0;
        }
        try {
            return Settings.positive("RECOMMEND_PASSES", Integer.parseInt(trimmed));
        } catch (NumberFormatException e) {
            throw StageException.usage("RECOMMEND_PASSES=" + value + ": auto, or a whole number of passes (at least 1)");
        }
    }

    /** The effective values under their public names, for the manifest ({@code eventWeights}: as resolved). */
    public Map<String, String> describe(String eventWeights) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("RELATED_TOP_N", Integer.toString(relatedTopN));
        config.put("USER_TOP_N", Integer.toString(userTopN));
        config.put("RELATED_BEHAVIOR_WEIGHT", Double.toString(weights.behavior()));
        config.put("RELATED_CONTENT_WEIGHT", Double.toString(weights.content()));
        config.put("RECOMMEND_INCLUDE_SEEN", includeSeen ? "1" : "0");
        config.put("RECOMMEND_HALF_LIFE_DAYS", Double.toString(history.halfLifeDays()));
        config.put("RECOMMEND_MAX_HISTORY", Integer.toString(history.maxItemsPerUser()));
        config.put("RECOMMEND_BATCH_SIZE", Integer.toString(batchUsers));
        config.put("RECOMMEND_PASSES", minPasses == 0 ? AUTO : Integer.toString(minPasses));
        config.put("BEHAVIOR_EVENT_WEIGHTS", eventWeights);
        config.put("BEHAVIOR_AGGREGATION", history.aggregation().configName());
        config.put("SIMILARITY_THREADS", Integer.toString(threads));
        return config;
    }
}
