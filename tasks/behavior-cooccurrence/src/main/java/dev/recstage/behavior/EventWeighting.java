package dev.recstage.behavior;

/**
 * The weight of one event: its base weight (by event type, or the row's own) times the recency
 * decay {@code 0.5^(age / half-life)}, age counted back from the features' as-of time (events
 * after it count as age 0).
 */
final class EventWeighting {
    private static final double SECONDS_PER_DAY = 86_400.0;

    /** Base weight per event code; null = the row's weight. */
    private final float[] byEventCode;
    /** 0 = no decay. */
    private final double halfLifeSeconds;
    private final long asOfEpochSeconds;

    EventWeighting(float[] byEventCode, double halfLifeDays, long asOfEpochSeconds) {
        this.byEventCode = byEventCode;
        this.halfLifeSeconds = halfLifeDays * SECONDS_PER_DAY;
        this.asOfEpochSeconds = asOfEpochSeconds;
    }

    /** The event's weight; not above 0 (or NaN) means the event is ignored. */
    double weight(int eventCode, float rowWeight, long epochSeconds) {
        double base = byEventCode == null ? rowWeight : byEventCode[eventCode];
        if (halfLifeSeconds == 0 || !(base > 0)) {
            return base;
        }
        double age = Math.max(0, asOfEpochSeconds - epochSeconds);
        // StrictMath: the same bits on every JVM, so outputs stay byte-identical across machines.
        return base * StrictMath.pow(0.5, age / halfLifeSeconds);
    }

    /** Event codes this weighting knows; codes outside are bad input. */
    boolean knowsEvent(int eventCode) {
        return byEventCode == null || (eventCode >= 0 && eventCode < byEventCode.length);
    }
}
