package dev.recstage.core.history;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.Optional;

/**
 * How user histories are weighed ({@code BEHAVIOR_EVENT_WEIGHTS}, {@code BEHAVIOR_AGGREGATION},
 * {@code BEHAVIOR_HALF_LIFE_DAYS}, {@code BEHAVIOR_MAX_ITEMS_PER_USER}): shared by the behaviour
 * and recommend stages, so that both read the same histories. Not a mapping itself: each stage's
 * {@code @ConfigMapping(prefix = "behavior")} extends it (one mapping per prefix and application).
 */
public interface HistoryConfig {
    /**
     * Weight of each event type, e.g. {@code view:1,download:3,favorite:5,interaction:1}, or
     * {@code row} for the rows' own {@code weight} column. Unset: {@code row} when the features
     * took the weight from a column of the raw interactions, else {@link EventWeights#DEFAULT_TABLE}.
     */
    @WithName("event-weights")
    Optional<String> eventWeights();

    /** How the events of one user on one item combine: {@code max} or {@code sum}. */
    @WithDefault("max")
    String aggregation();

    /** Recency decay: an event loses half its weight every this many days before the as-of time; 0 = off. */
    @WithName("half-life-days")
    @WithDefault("0")
    double halfLifeDays();

    /** Each user keeps only this many most recent distinct items (crawlers would otherwise dominate). */
    @WithName("max-items-per-user")
    @WithDefault("500")
    int maxItemsPerUser();
}
