package dev.recstage.behavior;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.Optional;

/**
 * Settings of the behaviour stage; the environment variables ({@code BEHAVIOR_EVENT_WEIGHTS},
 * {@code BEHAVIOR_AGGREGATION}, …) are the public names. Values are checked by
 * {@link BehaviorSettings}, which turns this raw view into the effective configuration.
 */
@ConfigMapping(prefix = "behavior")
public interface BehaviorConfig {
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

    /** {@code cosine}, {@code count} (co-occurring users, the old system's) or {@code jaccard}. */
    @WithDefault("cosine")
    String metric();

    /** Users two items must have in common to be neighbours at all. */
    @WithName("min-cooccurrence")
    @WithDefault("1")
    int minCooccurrence();

    /** Neighbours kept per item; default {@code SIMILARITY_TOP_K}. */
    @WithName("similarity-top-k")
    Optional<Integer> similarityTopK();
}
