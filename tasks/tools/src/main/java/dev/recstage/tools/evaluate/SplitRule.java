package dev.recstage.tools.evaluate;

import dev.recstage.core.cli.StageException;

/** --test-ratio (per user, the default) or --test-days (one cut in time). */
public record SplitRule(Double testRatio, Integer testDays) {
    public static final double DEFAULT_RATIO = 0.25;

    public static SplitRule of(Double testRatio, Integer testDays) {
        if (testRatio != null && testDays != null) {
            throw StageException.usage("give --test-ratio or --test-days, not both");
        }
        if (testDays != null) {
            if (testDays < 1) {
                throw StageException.usage("--test-days must be at least 1, got " + testDays);
            }
            return new SplitRule(null, testDays);
        }
        double ratio = testRatio == null ? DEFAULT_RATIO : testRatio;
        if (!(ratio > 0 && ratio < 1)) {
            throw StageException.usage("--test-ratio must be between 0 and 1 (exclusive), got " + ratio);
        }
        return new SplitRule(ratio, null);
    }

    public boolean[] testRows(InteractionLog log) {
        return testDays != null ? ChronologicalSplit.lastDays(log.epochSeconds(), testDays)
                : ChronologicalSplit.lastShareOfEachUser(log.user(), testRatio);
    }

    public String describeShort() {
        return testDays != null ? "--test-days " + testDays : "--test-ratio " + testRatio;
    }

    public Evaluation.Split describe(InteractionLog log, HeldOut heldOut) {
        return new Evaluation.Split(testDays != null ? "last_days" : "per_user_ratio", testRatio, testDays, log.size(),
                heldOut.trainEvents(), heldOut.testEvents(), log.userIds().length, heldOut.scoredUsers(), heldOut.coldUsers(),
                heldOut.relevantPairs(), log.itemIds().length);
    }
}
