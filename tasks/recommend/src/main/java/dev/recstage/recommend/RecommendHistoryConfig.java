package dev.recstage.recommend;

import dev.recstage.core.history.HistoryConfig;
import io.smallrye.config.ConfigMapping;

/** The behaviour stage's history settings ({@code BEHAVIOR_EVENT_WEIGHTS}, …), read here so that both weigh histories alike. */
@ConfigMapping(prefix = "behavior")
public interface RecommendHistoryConfig extends HistoryConfig {
}
