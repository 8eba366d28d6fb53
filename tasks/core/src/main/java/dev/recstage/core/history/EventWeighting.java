package dev.recstage.core.history;

import dev.recstage.core.features.FeaturesInput;
import org.apache.arrow.memory.BufferAllocator;

/**
 * The weight of one event: its base weight (by event type, or the row's own) times the recency
 * decay {@code 0.5^(age / half-life)}, age counted back from the features' as-of time (events
 * after it count as age 0).
 */
public final class EventWeighting {
    private static final double SECONDS_PER_DAY = 86_400.0;

    /** Base weight per event code; null = the row's weight. */
    private final float[] byEventCode;
    /** 0 = no decay. */
    private final double halfLifeSeconds;
    private final long asOfEpochSeconds;

    public EventWeighting(float[] byEventCode, double halfLifeDays, long asOfEpochSeconds) {
        this.byEventCode = byEventCode;
        this.halfLifeSeconds = halfLifeDays * SECONDS_PER_DAY;
        this.asOfEpochSeconds = asOfEpochSeconds;
    }

    /**
     * The weighting of {@code input}'s events: {@code weights} resolved against its event
     * dictionary, decay counted back from its as-of time ({@code halfLifeDays} 0 = no decay).
     */
    public static EventWeighting of(EventWeights weights, double halfLifeDays, FeaturesInput input, BufferAllocator allocator) {
        float[] byEvent = weights.byEventCode(input.eventNames(allocator));
        long asOf = halfLifeDays > 0 ? input.asOf().getEpochSecond() : 0;
        return new EventWeighting(byEvent, halfLifeDays, asOf);
    }

    /** The event's weight; not above 0 (or NaN) means the event is ignored. */
    public double weight(int eventCode, float rowWeight, long epochSeconds) {
        double base = byEventCode == null ? rowWeight : byEventCode[eventCode];
        if (halfLifeSeconds == 0 || !(base > 0)) {
            return base;
        }
        double age = Math.max(0, asOfEpochSeconds - epochSeconds);
        // StrictMath: the same bits on every JVM, so outputs stay byte-identical across machines.
        return base * StrictMath.pow(0.5, age / halfLifeSeconds);
    }

    /** Event codes this weighting knows; codes outside are bad input. */
    public boolean knowsEvent(int eventCode) {
        return byEventCode == null || (eventCode >= 0 && eventCode < byEventCode.length);
    }
}
