package dev.recstage.behavior;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.core.cli.ExitCode;
import dev.recstage.core.cli.StageException;
import dev.recstage.core.history.Aggregation;
import dev.recstage.core.history.EventWeights;
import dev.recstage.core.history.WeightSource;
import dev.recstage.core.io.Manifest;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every setting's parsing, defaults, precedence and the exit-2 messages of bad values. */
class BehaviorSettingsTest {
    /** A configuration as SmallRye would hand it over; fields left at the documented defaults. */
    record Config(Optional<String> eventWeights, String aggregation, double halfLifeDays, int maxItemsPerUser,
                  String metric, int minCooccurrence, Optional<Integer> similarityTopK) implements BehaviorConfig {
        static Config defaults() {
            return new Config(Optional.empty(), "max", 0, 500, "cosine", 1, Optional.empty());
        }

        Config metric(String value) {
            return new Config(eventWeights, aggregation, halfLifeDays, maxItemsPerUser, value, minCooccurrence, similarityTopK);
        }

        Config aggregation(String value) {
            return new Config(eventWeights, value, halfLifeDays, maxItemsPerUser, metric, minCooccurrence, similarityTopK);
        }

        Config halfLife(double value) {
            return new Config(eventWeights, aggregation, value, maxItemsPerUser, metric, minCooccurrence, similarityTopK);
        }

        Config cap(int value) {
            return new Config(eventWeights, aggregation, halfLifeDays, value, metric, minCooccurrence, similarityTopK);
        }

        Config minCooccurrence(int value) {
            return new Config(eventWeights, aggregation, halfLifeDays, maxItemsPerUser, metric, value, similarityTopK);
        }

        Config topK(int value) {
            return new Config(eventWeights, aggregation, halfLifeDays, maxItemsPerUser, metric, minCooccurrence, Optional.of(value));
        }

        Config weights(String value) {
            return new Config(Optional.of(value), aggregation, halfLifeDays, maxItemsPerUser, metric, minCooccurrence, similarityTopK);
        }
    }

    private static void assertUsage(Executable executable, String... inMessage) {
        StageException e = assertThrows(StageException.class, executable);
        assertEquals(ExitCode.USAGE, e.exitCode(), e.getMessage());
        for (String text : inMessage) {
            assertTrue(e.getMessage().contains(text), "'" + text + "' in: " + e.getMessage());
        }
    }

    @Test
    void defaults() {
        BehaviorSettings settings = BehaviorSettings.of(Config.defaults(), 200, null);
        assertEquals(Metric.COSINE, settings.metric());
        assertEquals(Aggregation.MAX, settings.aggregation());
        assertEquals(500, settings.maxItemsPerUser());
        assertEquals(1, settings.minCooccurrence());
        assertEquals(0, settings.halfLifeDays());
        assertEquals(200, settings.topK());
        assertTrue(settings.eventWeights().isEmpty());
    }

    @Test
    void topKPrecedenceIsOptionThenBehaviorThenSimilarity() {
        assertEquals(150, BehaviorSettings.of(Config.defaults(), 150, null).topK());
        assertEquals(50, BehaviorSettings.of(Config.defaults().topK(50), 150, null).topK());
        assertEquals(7, BehaviorSettings.of(Config.defaults().topK(50), 150, 7).topK());
    }

    @Test
    void namesAreCaseInsensitive() {
        BehaviorSettings settings = BehaviorSettings.of(Config.defaults().metric("Jaccard").aggregation("SUM"), 200, null);
        assertEquals(Metric.JACCARD, settings.metric());
        assertEquals(Aggregation.SUM, settings.aggregation());
    }

    @Test
    void badValuesAreUsageErrorsNamingTheVariable() {
        assertUsage(() -> BehaviorSettings.of(Config.defaults().metric("pearson"), 200, null),
                "BEHAVIOR_METRIC", "pearson", "cosine, count, jaccard");
        assertUsage(() -> BehaviorSettings.of(Config.defaults().aggregation("mean"), 200, null),
                "BEHAVIOR_AGGREGATION", "mean", "max, sum");
        assertUsage(() -> BehaviorSettings.of(Config.defaults().halfLife(-1), 200, null), "BEHAVIOR_HALF_LIFE_DAYS");
        assertUsage(() -> BehaviorSettings.of(Config.defaults().halfLife(Double.NaN), 200, null), "BEHAVIOR_HALF_LIFE_DAYS");
        assertUsage(() -> BehaviorSettings.of(Config.defaults().cap(0), 200, null), "BEHAVIOR_MAX_ITEMS_PER_USER");
        assertUsage(() -> BehaviorSettings.of(Config.defaults().cap(-5), 200, null), "BEHAVIOR_MAX_ITEMS_PER_USER");
        assertUsage(() -> BehaviorSettings.of(Config.defaults().minCooccurrence(-1), 200, null), "BEHAVIOR_MIN_COOCCURRENCE");
        assertUsage(() -> BehaviorSettings.of(Config.defaults().topK(-3), 200, null), "BEHAVIOR_SIMILARITY_TOP_K");
        assertUsage(() -> BehaviorSettings.of(Config.defaults(), 200, 0), "--top-k");
        assertUsage(() -> BehaviorSettings.of(Config.defaults(), 200, 40_000), "int16");
        assertUsage(() -> BehaviorSettings.of(Config.defaults().weights("view:1,download"), 200, null), "BEHAVIOR_EVENT_WEIGHTS");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "view", "view:", ":1", "view:x", "view:-1", "view:NaN", "view:1,view:2", "view:1,,download:3"})
    void malformedEventWeights(String text) {
        assertUsage(() -> EventWeights.parse(text), "BEHAVIOR_EVENT_WEIGHTS", "malformed");
    }

    @Test
    void eventWeightsByCode() {
        EventWeights weights = EventWeights.parse(" view:1, download:2.5 ,favorite:0");
        assertArrayEquals(new float[] {0, 1, 2.5f}, weights.byEventCode(List.of("favorite", "view", "download")));
        assertEquals("view:1,download:2.5,favorite:0", weights.toString());
        assertEquals(EventWeights.DEFAULT_TABLE, EventWeights.parse(EventWeights.DEFAULT_TABLE).toString());
        assertUsage(() -> weights.byEventCode(List.of("view", "click")), "no weight for the event type 'click'");
        assertTrue(EventWeights.parse("ROW").fromRows());
    }

    @Test
    void unsetWeightsFollowTheFeatures() {
        Manifest fromColumn = new Manifest();
        fromColumn.stats.put(WeightSource.STATS_KEY, WeightSource.FROM_COLUMN);
        Manifest constant = new Manifest();
        constant.stats.put(WeightSource.STATS_KEY, "constant 1.0");
        assertTrue(WeightSource.effective(Optional.empty(), fromColumn).fromRows());
        assertEquals(EventWeights.DEFAULT_TABLE, WeightSource.effective(Optional.empty(), constant).toString());
        assertEquals(EventWeights.DEFAULT_TABLE, WeightSource.effective(Optional.empty(), new Manifest()).toString());
        assertEquals("view:2", WeightSource.effective(Optional.of(EventWeights.parse("view:2")), fromColumn).toString());
    }
}
