package dev.recstage.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.core.cli.ExitCode;
import dev.recstage.core.cli.StageException;
import org.junit.jupiter.api.Test;

class SettingsTest {
    private static final String NAME = "--top-k / SIMILARITY_TOP_K";

    private static StageException usage(int topK) {
        StageException e = assertThrows(StageException.class, () -> Settings.topK(NAME, topK));
        assertEquals(ExitCode.USAGE, e.exitCode(), e.getMessage());
        assertTrue(e.getMessage().startsWith(NAME + " must be"), e.getMessage());
        return e;
    }

    @Test
    void topKFromOneToTheLargestInt16Rank() {
        assertEquals(1, Settings.topK(NAME, 1));
        assertEquals(200, Settings.topK(NAME, 200));
        assertEquals(32767, Settings.topK(NAME, 32767));
    }

    @Test
    void topKOutsideIsAUsageError() {
        assertTrue(usage(0).getMessage().contains("must be a positive integer, got 0"));
        assertTrue(usage(-5).getMessage().contains("got -5"));
        String tooLarge = usage(32768).getMessage();
        assertTrue(tooLarge.contains("at most 32767") && tooLarge.contains("int16") && tooLarge.contains("got 32768"), tooLarge);
        assertTrue(usage(40_000).getMessage().contains("int16"));
    }

    @Test
    void theCommandLineOverridesTheConfiguration() {
        assertEquals(7, Settings.override(7, 200));
        assertEquals(200, Settings.<Integer>override(null, 200));
    }
}
