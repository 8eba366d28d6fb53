package dev.recstage.behavior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.behavior.BruteForceBehavior.Neighbor;
import dev.recstage.behavior.StageOutput.Row;
import dev.recstage.core.config.EngineOptions;
import dev.recstage.core.config.Shard;
import dev.recstage.core.history.Aggregation;
import dev.recstage.core.history.EventWeights;
import dev.recstage.core.io.InputDirectory;
import dev.recstage.core.io.Manifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The stage against {@link BruteForceBehavior} (dense B in double, every pair scored from whole
 * columns) for every metric, aggregation, history cap, half-life, minimum co-occurrence and
 * weight source, each on its own random input.
 */
class BehaviorOracleTest {
    private static final double TOLERANCE = 1e-5;
    private static final int K = 6;

    @TempDir
    Path dir;

    static Stream<Arguments> settings() {
        List<Arguments> all = new ArrayList<>();
        long seed = 1;
        for (Metric metric : Metric.values()) {
            for (Aggregation aggregation : Aggregation.values()) {
                for (int cap : new int[] {1, 4, 500}) {
                    for (double halfLife : new double[] {0, 3.5}) {
                        for (int minCooccurrence : new int[] {1, 3}) {
                            String weights = seed % 2 == 0 ? "row" : "view:1,download:3,favorite:0";
                            all.add(Arguments.of(seed++, metric, aggregation, cap, halfLife, minCooccurrence, weights));
                        }
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "seed {0}: {1} {2} cap={3} half-life={4} min={5} weights={6}")
    @MethodSource("settings")
    void matchesBruteForce(long seed, Metric metric, Aggregation aggregation, int cap, double halfLife,
                           int minCooccurrence, String weights) {
        FeaturesFixture data = FeaturesFixture.random(seed, 25, 30, 400);
        Path features = data.write(dir.resolve("features"), 37);
        EventWeights eventWeights = EventWeights.parse(weights);
        BehaviorSettings settings = new BehaviorSettings(Optional.of(eventWeights), aggregation, halfLife, cap,
                metric, minCooccurrence, K);

        Path out = dir.resolve("out");
        List<Row> actual = StageOutput.read(StageOutput.run(features, out, settings, new EngineOptions(2, OptionalInt.of(4), false), Shard.WHOLE));

        float[] byEvent = eventWeights.byEventCode(FeaturesFixture.EVENTS);
        double[][] b = BruteForceBehavior.weights(data, byEvent, halfLife, cap, aggregation);
        List<List<Neighbor>> all = BruteForceBehavior.neighbors(b, metric, minCooccurrence, data.items);
        assertNeighbors(all, actual, metric != Metric.COSINE);

        long[] capStats = BruteForceBehavior.capStats(data, byEvent, halfLife, cap);
        Manifest written = InputDirectory.open(out, BehaviorStage.STAGE).manifest();
        assertEquals(capStats[0], ((Number) written.stats.get("users_capped")).longValue(), "users capped");
        assertEquals(capStats[1], ((Number) written.stats.get("events_dropped_by_cap")).longValue(), "events dropped");
        assertEquals(data.events.size(), written.counts.get("interactions").read());
    }

    /**
     * Same number of neighbours per item, scores rank by rank within the tolerance, and every
     * listed neighbour really has that score; with exact scores also the same order.
     */
    static void assertNeighbors(List<List<Neighbor>> allCandidates, List<Row> actual, boolean exactOrder) {
        Map<String, List<Row>> byItem = new LinkedHashMap<>();
        for (Row row : actual) {
            byItem.computeIfAbsent(row.itemId(), i -> new ArrayList<>()).add(row);
        }
        for (int i = 0; i < allCandidates.size(); i++) {
            List<Neighbor> candidates = allCandidates.get(i);
            List<Neighbor> expected = candidates.subList(0, Math.min(K, candidates.size()));
            List<Row> rows = byItem.getOrDefault(FeaturesFixture.itemId(i), List.of());
            String where = "item " + i;
            assertEquals(expected.size(), rows.size(), where + ": number of neighbours");
            Map<String, Double> scoreOf = new HashMap<>();
            candidates.forEach(c -> scoreOf.put(FeaturesFixture.itemId(c.item()), c.score()));
            Set<String> listed = new HashSet<>();
            for (int r = 0; r < rows.size(); r++) {
                Row row = rows.get(r);
                assertEquals(r + 1, row.rank(), where + ": ranks");
                assertEquals(expected.get(r).score(), row.score(), TOLERANCE, where + ", rank " + (r + 1));
                assertTrue(scoreOf.containsKey(row.neighborId()), where + ": " + row.neighborId() + " is no candidate");
                assertEquals(scoreOf.get(row.neighborId()), row.score(), TOLERANCE, where + ": score of " + row.neighborId());
                assertTrue(listed.add(row.neighborId()), where + ": " + row.neighborId() + " listed twice");
                if (exactOrder) {
                    assertEquals(FeaturesFixture.itemId(expected.get(r).item()), row.neighborId(), where + ", rank " + (r + 1));
                }
            }
            if (!rows.isEmpty()) {
                double last = expected.get(expected.size() - 1).score();
                for (Neighbor c : candidates) {
                    if (c.score() > last + TOLERANCE) {
                        assertTrue(listed.contains(FeaturesFixture.itemId(c.item())), where + ": misses " + c.item());
                    }
                }
            }
        }
    }
}
