package dev.recstage.behavior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.behavior.FeaturesFixture.Event;
import dev.recstage.core.cli.ExitCode;
import dev.recstage.core.cli.StageException;
import dev.recstage.core.config.EngineOptions;
import dev.recstage.core.config.Shard;
import dev.recstage.core.history.Aggregation;
import dev.recstage.core.history.EventWeights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Interactions that break the features contract end with exit 3 naming the row, and no output. */
class BehaviorInputTest {
    private static final BehaviorSettings SETTINGS = new BehaviorSettings(Optional.of(EventWeights.parse("row")),
            Aggregation.MAX, 0, 500, Metric.COSINE, 1, 5);

    @TempDir
    Path dir;

    private void assertRejected(FeaturesFixture data, String message) {
        Path features = data.write(dir.resolve("features"), 2);
        StageException e = assertThrows(StageException.class, () -> StageOutput.run(features, dir.resolve("out"), SETTINGS,
                new EngineOptions(1, OptionalInt.of(10), false), Shard.WHOLE));
        assertEquals(ExitCode.INPUT_DATA, e.exitCode());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void usersOutOfOrder() {
        assertRejected(FeaturesFixture.asGiven(3, 3, List.of(new Event(1, 0, 0, 1, 10), new Event(2, 1, 0, 1, 10),
                new Event(1, 2, 0, 1, 20))), "row 2: user 1 after user 2: not sorted by user then time");
    }

    @Test
    void timeGoingBackWithinAUser() {
        assertRejected(FeaturesFixture.asGiven(3, 3, List.of(new Event(0, 0, 0, 1, 10), new Event(0, 1, 0, 1, 5))),
                "row 1: time goes back within user 0");
    }

    @Test
    void indexesOutsideTheTables() {
        assertRejected(FeaturesFixture.asGiven(3, 2, List.of(new Event(2, 0, 0, 1, 10))), "row 0: user index 2 outside [0, 2)");
    }
}
