package dev.recstage.behavior;

import dev.recstage.core.engine.PairScorer;
import java.util.Locale;

/** {@code BEHAVIOR_METRIC}: how two items' user columns are compared. */
public enum Metric {
    /** Dot product of the L2-normalised item rows of the weighted items × users matrix. */
    COSINE,
    /** Number of users the two items have in common (the old system's measure). */
    COUNT,
    /** Common users over the users of either item. */
    JACCARD;

    /** The engine's scorer, keeping only pairs with at least {@code minCooccurrence} common users. */
    public PairScorer scorer(int minCooccurrence) {
        PairScorer scorer = switch (this) {
            case COSINE -> PairScorer.cosine();
            case COUNT -> PairScorer.count();
            case JACCARD -> PairScorer.jaccard();
        };
        return scorer.withMinCommon(minCooccurrence);
    }

    /** Whether the item rows are L2-normalised before scoring (only the weights' direction matters then). */
    public boolean normalizesRows() {
        return this == COSINE;
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
