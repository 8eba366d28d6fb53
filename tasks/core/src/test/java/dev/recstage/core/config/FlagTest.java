package dev.recstage.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.core.cli.ExitCode;
import dev.recstage.core.cli.StageException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class FlagTest {
    @ParameterizedTest
    @ValueSource(strings = {"1", "true", "TRUE", "yes", "On", " 1 "})
    void onValues(String text) {
        assertTrue(Flag.of(text).on());
        assertEquals("1", Flag.of(text).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "false", "No", "off", "0 "})
    void offValues(String text) {
        assertFalse(Flag.of(text).on());
        assertEquals("0", Flag.of(text).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "", "enabled", "-1"})
    void anythingElseIsAnErrorNamingTheValue(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Flag.of(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    @Test
    void settingsPositiveAndOverride() {
        assertEquals(5, Settings.positive("SIMILARITY_TOP_K", 5));
        StageException e = assertThrows(StageException.class, () -> Settings.positive("SIMILARITY_TOP_K / --top-k", 0));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertEquals("SIMILARITY_TOP_K / --top-k must be a positive integer, got 0", e.getMessage());
        assertEquals(3, Settings.override(3, 7));
        assertEquals(7, Settings.override(null, 7));
    }
}
