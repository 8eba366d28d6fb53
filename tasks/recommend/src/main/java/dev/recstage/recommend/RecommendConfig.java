package dev.recstage.recommend;

import dev.recstage.core.config.Flag;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.Optional;

/**
 * Settings of the recommend stage under their public environment names ({@code RELATED_TOP_N},
 * {@code USER_TOP_N}, {@code RELATED_BEHAVIOR_WEIGHT}, {@code RELATED_CONTENT_WEIGHT},
 * {@code RECOMMEND_*}); checked by {@link RecommendSettings}. The names have no common prefix,
 * hence the root mapping.
 */
@ConfigMapping(prefix = "")
public interface RecommendConfig {
    /** Related items kept per item. */
    @WithName("related.top-n")
    @WithDefault("20")
    int relatedTopN();

    /** Recommendations kept per user. */
    @WithName("user.top-n")
    @WithDefault("20")
    int userTopN();

    /** Weight of the behaviour neighbours (scaled to (0, 1] per item) in the blend. */
    @WithName("related.behavior-weight")
    @WithDefault("0.5")
    double relatedBehaviorWeight();

    /** Weight of the content neighbours (scaled to (0, 1] per item) in the blend. */
    @WithName("related.content-weight")
    @WithDefault("0.5")
    double relatedContentWeight();

    /** 1: items a user has already used may be recommended to them. */
    @WithName("recommend.include-seen")
    @WithDefault("0")
    Flag recommendIncludeSeen();

    /** Recency decay of the history's affinities; default {@code BEHAVIOR_HALF_LIFE_DAYS}. */
    @WithName("recommend.half-life-days")
    Optional<Double> recommendHalfLifeDays();

    /** Most recent distinct items of a user's history that are scored; default {@code BEHAVIOR_MAX_ITEMS_PER_USER}. */
    @WithName("recommend.max-history")
    Optional<Integer> recommendMaxHistory();

    /**
     * Passes over neighbour ranges: {@code auto}, as few as fit the memory budget (one when all the
     * lists fit), or at least this many.
     */
    @WithName("recommend.passes")
    @WithDefault("auto")
    String recommendPasses();

    /** Users scored per block. */
    @WithName("recommend.batch-size")
    @WithDefault("1000")
    int recommendBatchSize();
}
