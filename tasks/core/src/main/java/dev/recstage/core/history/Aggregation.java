package dev.recstage.core.history;

import java.util.Locale;

/** {@code BEHAVIOR_AGGREGATION}: how the weights of one user's events on one item combine. */
public enum Aggregation {
    /** The strongest event counts (a download after three views weighs as a download). */
    MAX,
    /** Every event adds up. */
    SUM;

    public double combine(double current, double next) {
        return this == MAX ? Math.max(current, next) : current + next;
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
