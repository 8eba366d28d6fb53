package dev.recstage.behavior;

import dev.recstage.core.history.HistoryConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.util.Optional;

/**
 * Settings of the behaviour stage; the environment variables ({@code BEHAVIOR_EVENT_WEIGHTS},
 * {@code BEHAVIOR_AGGREGATION}, …) are the public names; the history part ({@link HistoryConfig}) is
 * shared with the recommend stage. Values are checked by
 * {@link BehaviorSettings}, which turns this raw view into the effective configuration.
 */
@ConfigMapping(prefix = "behavior")
public interface BehaviorConfig extends HistoryConfig {
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
