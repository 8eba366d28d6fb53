package dev.recstage.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.ConfigValidationException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class FailuresTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void stageExceptionEndsWithItsCodeAndItsMessageAsOneLine() {
        assertEquals(ExitCode.INPUT_DATA, Failures.report(StageException.input("items.csv has no item_id column"), err));
        assertEquals(List.of("error: items.csv has no item_id column"), lines());
    }

    @Test
    void stageExceptionIsFoundInsideWrappers() {
        Exception wrapped = new RuntimeException("picocli wrapper", new IllegalStateException(StageException.memory("too big")));
        assertEquals(ExitCode.MEMORY_BUDGET, Failures.report(wrapped, err));
        assertEquals(List.of("error: too big"), lines());
    }

    @Test
    void smallRyeConfigErrorsAreUsageErrorsOnOneLine() {
        Exception srcfg = new IllegalArgumentException("SRCFG00039: The config property similarity.top-k with the config value \"ten\"\n threw an Exception");
        assertEquals(ExitCode.USAGE, Failures.report(new RuntimeException("start-up failed", srcfg), err));
        List<String> lines = lines();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("error: configuration: SIMILARITY_TOP_K: SRCFG00039: The config property similarity.top-k"), lines.get(0));
        assertTrue(lines.get(0).contains("\"ten\" threw an Exception"), "line breaks folded: " + lines.get(0));
    }

    @Test
    void missingAndInvalidConfigValuesAreUsageErrors() {
        assertEquals(ExitCode.USAGE, Failures.report(new NoSuchElementException("SIMILARITY_TOP_K"), err));
        assertEquals(ExitCode.USAGE, Failures.report(new ConfigValidationException(new ConfigValidationException.Problem[] {
            new ConfigValidationException.Problem("similarity.top-k must be positive")}), err));
    }

    @Test
    void outOfMemoryIsAMemoryFailure() {
        assertEquals(ExitCode.MEMORY_BUDGET, Failures.report(new OutOfMemoryError("Java heap space"), err));
        assertTrue(lines().get(0).startsWith("error: out of memory (Java heap space)"), lines().toString());
    }

    @Test
    void anythingElseIsExitOneWithTheErrorOnOneLine() {
        assertEquals(ExitCode.FAILURE, Failures.report(new IllegalStateException("broken\ninvariant"), err));
        List<String> lines = lines();
        assertEquals("error: IllegalStateException: broken invariant", lines.get(0));
        // The only other line says how to get the stack trace; no stack trace unless asked for.
        assertTrue(lines.size() == 1 || (lines.size() == 2 && lines.get(1).contains("RECSTAGE_DEBUG")), lines.toString());
    }

    @Test
    void inputAtNamesFileLineAndColumn() {
        assertEquals("items.csv:12:3: expected a number", StageException.inputAt("items.csv", 12, 3, "expected a number").getMessage());
        assertEquals("items.csv:12: too few cells", StageException.inputAt("items.csv", 12, 0, "too few cells").getMessage());
        assertEquals(ExitCode.INPUT_DATA, StageException.inputAt("f", 1, 1, "x").exitCode());
        assertEquals(ExitCode.USAGE, StageException.usage("x").exitCode());
    }

    @Test
    void aFullVolumeIsExitFiveNamingTheFileAsItWillBeUnderOut() {
        Exception full = new java.io.UncheckedIOException("cannot write /data/run/.content.staging-4242/content_neighbors.arrow",
                new java.io.IOException("No space left on device"));
        assertEquals(ExitCode.DISK_SPACE, Failures.report(new RuntimeException("worker failed", full), err));
        assertEquals(List.of("error: /data/run/content/content_neighbors.arrow: no space left on device (free space on that volume, "
                + "or choose --out on a larger one; the previous output is kept)"), lines());
    }

    @Test
    void aFullVolumeNamedByTheFileSystemError() {
        Exception full = new java.nio.file.FileSystemException("/data/run/.features.staging-7/.items.spill", null, "No space left on device");
        assertEquals(ExitCode.DISK_SPACE, Failures.report(full, err));
        assertTrue(lines().get(0).startsWith("error: /data/run/features/.items.spill: no space left on device ("), lines().toString());
    }

    @Test
    void otherIoFailuresSayWhatAndWhyWithoutAJavaName() {
        Exception missing = new java.io.UncheckedIOException("cannot write /data/run/.out.staging-9/a.arrow",
                new java.nio.file.NoSuchFileException("/data/run/.out.staging-9/a.arrow"));
        assertEquals(ExitCode.FAILURE, Failures.report(missing, err));
        assertEquals("error: cannot write /data/run/out/a.arrow: no such file or directory", lines().get(0));
    }
}
