package dev.recstage.recommend;

import dev.recstage.core.cli.StageException;

/**
 * {@code RELATED_BEHAVIOR_WEIGHT} and {@code RELATED_CONTENT_WEIGHT}: finite, at least 0, not both
 * 0 (exit 2 otherwise). They need not sum to 1: only the order of the blended scores matters.
 */
public record BlendWeights(double behavior, double content) {
    public BlendWeights {
        check("RELATED_BEHAVIOR_WEIGHT", behavior);
        check("RELATED_CONTENT_WEIGHT", content);
        if (behavior == 0 && content == 0) {
            throw StageException.usage("RELATED_BEHAVIOR_WEIGHT and RELATED_CONTENT_WEIGHT are both 0: at least one source must count");
        }
    }

    private static void check(String name, double weight) {
        if (!Double.isFinite(weight) || weight < 0) {
            throw StageException.usage(name + " must be a finite number >= 0 (0 leaves that source out), got " + weight);
        }
    }
}
