package dev.recstage.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.core.cli.ExitCode;
import dev.recstage.core.cli.StageException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class EngineOptionsTest {
    /** The configuration as SmallRye hands it over. */
    record Similarity(String batchSize, int topK, Optional<Integer> threads) implements SimilarityConfig {
    }

    record Switches(Flag legacySimilarity, Flag faissRecall) implements SwitchesConfig {
    }

    private static final Switches DEFAULT_SWITCHES = new Switches(Flag.of("0"), Flag.of("1"));

    private static void assertUsage(Executable executable, String... inMessage) {
        StageException e = assertThrows(StageException.class, executable);
        assertEquals(ExitCode.USAGE, e.exitCode(), e.getMessage());
        for (String text : inMessage) {
            assertTrue(e.getMessage().contains(text), "'" + text + "' in: " + e.getMessage());
        }
    }

    @Test
    void batchSizeIsAPositiveCountOrAuto() {
        assertEquals(OptionalInt.empty(), EngineOptions.batchSize(" Auto "));
        assertEquals(OptionalInt.of(250), EngineOptions.batchSize("250"));
        assertUsage(() -> EngineOptions.batchSize("lots"), "SIMILARITY_BATCH_SIZE", "--batch-size", "'lots'", "'auto'");
        assertUsage(() -> EngineOptions.batchSize("0"), "SIMILARITY_BATCH_SIZE", "--batch-size", "got 0");
        assertUsage(() -> EngineOptions.batchSize("-3"), "SIMILARITY_BATCH_SIZE");
    }

    @Test
    void optionsOverTheConfiguration() {
        Similarity configured = new Similarity("1000", 200, Optional.of(3));
        EngineOptions fromConfig = EngineOptions.of(configured, DEFAULT_SWITCHES, null, null);
        assertEquals(new EngineOptions(3, OptionalInt.of(1000), false), fromConfig);
        assertEquals(new EngineOptions(5, OptionalInt.empty(), false), EngineOptions.of(configured, DEFAULT_SWITCHES, 5, "auto"));
        assertEquals(OptionalInt.empty(), EngineOptions.of(new Similarity("auto", 200, Optional.empty()), DEFAULT_SWITCHES, null, null)
                .batchSize());
    }

    @Test
    void threadsDefaultToTheAvailableProcessors() {
        EngineOptions options = EngineOptions.of(new Similarity("1000", 200, Optional.empty()), DEFAULT_SWITCHES, null, null);
        assertEquals(Runtime.getRuntime().availableProcessors(), options.threads());
    }

    @Test
    void legacyFollowsTheSwitch() {
        Similarity configured = new Similarity("1000", 200, Optional.empty());
        assertTrue(EngineOptions.of(configured, new Switches(Flag.of("1"), Flag.of("1")), null, null).legacy());
        assertFalse(EngineOptions.of(configured, DEFAULT_SWITCHES, null, null).legacy());
    }

    @Test
    void badValuesAreUsageErrorsNamingBothOptionAndVariable() {
        Similarity configured = new Similarity("1000", 200, Optional.empty());
        assertUsage(() -> EngineOptions.of(configured, DEFAULT_SWITCHES, 0, null), "--threads / SIMILARITY_THREADS", "got 0");
        assertUsage(() -> EngineOptions.of(new Similarity("1000", 200, Optional.of(-1)), DEFAULT_SWITCHES, null, null),
                "SIMILARITY_THREADS");
        assertUsage(() -> EngineOptions.of(configured, DEFAULT_SWITCHES, null, "many"), "--batch-size / SIMILARITY_BATCH_SIZE");
        assertUsage(() -> EngineOptions.of(new Similarity("none", 200, Optional.empty()), DEFAULT_SWITCHES, null, null),
                "SIMILARITY_BATCH_SIZE", "'none'");
    }

    @Test
    void describesTheEffectiveValuesUnderTheirPublicNames() {
        assertEquals(Map.of("SIMILARITY_BATCH_SIZE", "auto", "SIMILARITY_THREADS", "2", "USE_LEGACY_SIMILARITY", "1"),
                new EngineOptions(2, OptionalInt.empty(), true).describe());
        EngineOptions fixed = new EngineOptions(4, OptionalInt.of(64), false);
        assertEquals("64", fixed.batchDescription());
        assertEquals(List.of("SIMILARITY_BATCH_SIZE", "SIMILARITY_THREADS", "USE_LEGACY_SIMILARITY"), List.copyOf(fixed.describe().keySet()));
        assertEquals(List.of("64", "4", "0"), List.copyOf(fixed.describe().values()));
    }
}
