package dev.recstage.core.history;

import dev.recstage.core.cli.StageException;
import dev.recstage.core.config.Settings;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The checked history settings ({@link HistoryConfig}); every bad value is exit 2 naming the variable.
 *
 * @param eventWeights as configured; empty means "decide from the features" ({@link WeightSource})
 * @param halfLifeDays 0 = no recency decay
 */
public record HistorySettings(Optional<EventWeights> eventWeights, Aggregation aggregation, double halfLifeDays,
                              int maxItemsPerUser) {
    public static HistorySettings of(HistoryConfig config) {
        return of(config, "BEHAVIOR_HALF_LIFE_DAYS", config.halfLifeDays(), "BEHAVIOR_MAX_ITEMS_PER_USER", config.maxItemsPerUser());
    }

    /** With the half-life and cap given by another stage's own variables ({@code *Name} as reported). */
    public static HistorySettings of(HistoryConfig config, String halfLifeName, double halfLife, String capName, int cap) {
        Optional<EventWeights> weights = config.eventWeights().map(EventWeights::parse);
        Aggregation aggregation = choice("BEHAVIOR_AGGREGATION", config.aggregation(), Aggregation.class);
        if (!Double.isFinite(halfLife) || halfLife < 0) {
            throw StageException.usage(halfLifeName + " must be a number of days >= 0 (0 turns decay off), got " + halfLife);
        }
        return new HistorySettings(weights, aggregation, halfLife, Settings.positive(capName, cap));
    }

    /** The enum constant named {@code value} (any case); exit 2 listing the allowed names. */
    public static <E extends Enum<E>> E choice(String name, String value, Class<E> type) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            String allowed = Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
            throw StageException.usage(name + " must be one of " + allowed + ", got '" + value + "'");
        }
    }
}
