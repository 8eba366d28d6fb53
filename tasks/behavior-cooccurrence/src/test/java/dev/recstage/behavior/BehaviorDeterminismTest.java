package dev.recstage.behavior;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.recstage.behavior.StageOutput.Row;
import dev.recstage.core.config.EngineOptions;
import dev.recstage.core.config.Shard;
import dev.recstage.core.history.Aggregation;
import dev.recstage.core.history.EventWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The output does not depend on how the work is split: byte-identical files for every thread
 * count and batch size and for the full N×N reference path, and shards that concatenate to the
 * unsharded rows.
 */
class BehaviorDeterminismTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Metric.class)
    void sameOutputForEveryThreadCountBatchSizeAndShardSplit(Metric metric) throws IOException {
        FeaturesFixture data = FeaturesFixture.random(42, 180, 120, 4000);
        Path features = data.write(dir.resolve("features"), 500);
        BehaviorSettings settings = new BehaviorSettings(Optional.of(EventWeights.parse("row")), Aggregation.SUM, 2,
                40, metric, 1, 10);
        Path reference = StageOutput.run(features, dir.resolve("reference"), settings, new EngineOptions(1, OptionalInt.of(1000), false), Shard.WHOLE);
        byte[] expected = Files.readAllBytes(reference);
        List<Row> expectedRows = StageOutput.read(reference);
        assertFalse(expectedRows.isEmpty());

        int run = 0;
        for (int threads : new int[] {2, 3}) {
            for (int batch : new int[] {1, 7, 64}) {
                Path out = StageOutput.run(features, dir.resolve("run" + run++), settings,
                        new EngineOptions(threads, OptionalInt.of(batch), false), Shard.WHOLE);
                assertArrayEquals(expected, Files.readAllBytes(out), threads + " threads, batch " + batch);
            }
        }
        Path legacy = StageOutput.run(features, dir.resolve("legacy"), settings, new EngineOptions(1, OptionalInt.of(1000), true), Shard.WHOLE);
        assertArrayEquals(expected, Files.readAllBytes(legacy), "USE_LEGACY_SIMILARITY=1");

        for (int count : new int[] {2, 3, 7}) {
            List<Row> concatenated = new ArrayList<>();
            for (int index = 0; index < count; index++) {
                Path out = StageOutput.run(features, dir.resolve("shard" + index + "of" + count), settings,
                        new EngineOptions(2, OptionalInt.of(5), false), new Shard(index, count));
                concatenated.addAll(StageOutput.read(out));
            }
            assertEquals(expectedRows, concatenated, count + " shards");
        }
    }
}
