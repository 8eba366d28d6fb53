package dev.recstage.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.recstage.core.cli.ExitCode;
import dev.recstage.core.cli.StageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputDirectoryTest {
    @TempDir
    Path parent;

    private Path target() {
        return parent.resolve("out");
    }

    private static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    /** Writes {@code files} (name = content) into the output and commits it with a manifest listing them. */
    private static void writeAndCommit(OutputDirectory out, String... files) throws IOException {
        Manifest manifest = new Manifest();
        manifest.stage = "test";
        for (String name : files) {
            Files.writeString(out.file(name), "content of " + name);
            manifest.outputs.add(new Manifest.OutputFile(name, out.size(name), 1L));
        }
        out.commit(manifest);
    }

    @Test
    void nothingIsVisibleBeforeCommitAndTheWholeOutputAfter() throws IOException {
        try (OutputDirectory out = OutputDirectory.create(target())) {
            Files.writeString(out.file("a.arrow"), "content of a.arrow");
            assertFalse(Files.exists(target()), "no output before the commit");
            writeAndCommit(out, "a.arrow", "b.arrow");
        }
        assertEquals(Set.of("a.arrow", "b.arrow", Manifest.FILE_NAME), names(target()));
        assertEquals(Set.of("out"), names(parent), "no staging directory left");
        Manifest manifest = Json.MAPPER.readValue(target().resolve(Manifest.FILE_NAME).toFile(), Manifest.class);
        assertEquals(List.of("a.arrow", "b.arrow"), manifest.outputs.stream().map(Manifest.OutputFile::file).toList());
        assertEquals(Files.size(target().resolve("a.arrow")), manifest.output("a.arrow").bytes());
    }

    @Test
    void previousOutputIsReplacedNeverMixed() throws IOException {
        try (OutputDirectory out = OutputDirectory.create(target())) {
            writeAndCommit(out, "old.arrow", "shared.arrow");
        }
        try (OutputDirectory out = OutputDirectory.create(target())) {
            assertEquals(Set.of("old.arrow", "shared.arrow", Manifest.FILE_NAME), names(target()), "the old output stays until the commit");
            writeAndCommit(out, "shared.arrow", "new.arrow");
        }
        assertEquals(Set.of("shared.arrow", "new.arrow", Manifest.FILE_NAME), names(target()));
        assertEquals(Set.of("out"), names(parent), "no retired directory left");
    }

    @Test
    void closingWithoutCommitLeavesNoTrace() throws IOException {
        try (OutputDirectory out = OutputDirectory.create(target())) {
            Files.writeString(out.file("half.arrow"), "half");
        }
        assertEquals(Set.of(), names(parent));
    }

    @Test
    void closingWithoutCommitKeepsThePreviousOutput() throws IOException {
        try (OutputDirectory out = OutputDirectory.create(target())) {
            writeAndCommit(out, "good.arrow");
        }
        try (OutputDirectory out = OutputDirectory.create(target())) {
            Files.writeString(out.file("half.arrow"), "half");
        }
        assertEquals(Set.of("good.arrow", Manifest.FILE_NAME), names(target()));
        assertEquals(Set.of("out"), names(parent));
    }

    @Test
    void leftoversOfDeadProcessesAreRemovedThoseOfLiveOnesKept() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        long deadPid = finished.pid();
        Path deadStaging = Files.createDirectories(parent.resolve(".out.staging-" + deadPid).resolve("sub"));
        Path deadRetired = Files.createDirectories(parent.resolve(".out.retired-" + deadPid));
        Path liveStaging = Files.createDirectories(parent.resolve(".out.staging-" + ProcessHandle.current().parent().orElseThrow().pid()));
        Path otherOutput = Files.createDirectories(parent.resolve(".other.staging-" + deadPid));
        try (OutputDirectory out = OutputDirectory.create(target())) {
            assertFalse(Files.exists(deadStaging.getParent()), "staging of a dead process removed");
            assertFalse(Files.exists(deadRetired), "retired output of a dead process removed");
            assertTrue(Files.exists(liveStaging), "a running process's staging is not touched");
            assertTrue(Files.exists(otherOutput), "another output's leftovers are not this one's business");
        }
    }

    @Test
    void aRunKilledBetweenTheTwoRenamesLeavesThePreviousOutputForTheNextRun() throws Exception {
        try (OutputDirectory first = OutputDirectory.create(target())) {
            writeAndCommit(first, "old.arrow");
        }
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        // What the killed run left: the previous output moved aside, its own staging complete, no output.
        Files.move(target(), parent.resolve(".out.retired-" + finished.pid()));
        Files.createDirectories(parent.resolve(".out.staging-" + finished.pid()));
        try (OutputDirectory next = OutputDirectory.create(target())) {
            assertEquals(Set.of("old.arrow", Manifest.FILE_NAME), names(target()), "the previous output is back before the next run works");
            assertEquals(Set.of("out", ".out.staging-" + ProcessHandle.current().pid()), names(parent));
        }
    }

    @Test
    void parentThatCannotHoldADirectoryIsAUsageError() throws IOException {
        Path file = Files.writeString(parent.resolve("plain-file"), "not a directory");
        StageException e = assertThrows(StageException.class, () -> OutputDirectory.create(file.resolve("out")));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains(file.resolve("out").toString()), e.getMessage());
    }

    /**
     * /sys refuses new entries to everyone, root included (permissions alone do not stop root, and
     * CI runs as root): the message names --out and its parent and says what to do, never the
     * hidden staging directory or a Java exception name.
     */
    @Test
    void unwritableParentIsAUsageErrorNamingOutAndItsParent() {
        Path unwritable = Path.of("/sys");
        assumeTrue(Files.isDirectory(unwritable), "not Linux: no /sys");
        Path target = unwritable.resolve("recstage-test-out");
        StageException e = assertThrows(StageException.class, () -> OutputDirectory.create(target));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().matches("cannot create --out /sys/recstage-test-out: [a-z -]+ in /sys "
                + "\\(choose another --out, or make /sys writable\\)"), e.getMessage());
        assertFalse(e.getMessage().contains(".staging-") || e.getMessage().contains("Exception"), e.getMessage());
    }

    @Test
    void aFileInThePathOfOutIsNamed() throws IOException {
        Path file = Files.writeString(parent.resolve("plain-file"), "not a directory");
        StageException e = assertThrows(StageException.class, () -> OutputDirectory.create(file.resolve("sub").resolve("out")));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertEquals("cannot create --out " + file.resolve("sub/out") + ": " + file + " is a file, not a directory (choose another --out)",
                e.getMessage());
    }

    @Test
    void publicPathNamesTheFileAsItWillBeUnderOut() {
        assertEquals(Path.of("/data/run/content/content_neighbors.arrow"),
                OutputDirectory.publicPath(Path.of("/data/run/.content.staging-13349/content_neighbors.arrow")));
        assertEquals(Path.of("/data/run/content"), OutputDirectory.publicPath(Path.of("/data/run/.content.staging-13349")));
        assertEquals(Path.of("/data/.hidden/file"), OutputDirectory.publicPath(Path.of("/data/.hidden/file")));
        assertEquals("cannot write /a/out/.items.spill: no space", OutputDirectory.publicText("cannot write /a/.out.staging-7/.items.spill: no space"));
    }

    @Test
    void abandonDeletesTheStagingDirectory() throws IOException {
        try (OutputDirectory previous = OutputDirectory.create(target())) {
            writeAndCommit(previous, "old.arrow");
        }
        try (OutputDirectory out = OutputDirectory.create(target())) {
            Files.writeString(out.file("a.arrow"), "content of a.arrow");
            assertFalse(out.abandon(1000), "not committed");
            assertEquals(Set.of("out"), names(parent), "the staging directory is gone");
        }
        assertEquals(Set.of("old.arrow", Manifest.FILE_NAME), names(target()), "the previous output is as it was");
    }

    @Test
    void anAbandonedOutputIsNeverCommitted() throws IOException {
        try (OutputDirectory out = OutputDirectory.create(target())) {
            Files.writeString(out.file("a.arrow"), "content of a.arrow");
            out.abandon(0); // no time to delete: the staging directory is still there when the commit comes
            // A stage exception (exit 143), so that the error line names no Java class.
            StageException stopped = assertThrows(StageException.class, () -> writeAndCommit(out, "a.arrow"));
            assertEquals(ExitCode.STOPPED, stopped.exitCode());
            assertEquals("the run was asked to stop: " + target() + " is left as it was", stopped.getMessage());
        }
        assertEquals(Set.of(), names(parent), "no output, no staging directory");
    }

    @Test
    void abandonAfterTheCommitLeavesTheOutput() throws IOException {
        try (OutputDirectory out = OutputDirectory.create(target())) {
            writeAndCommit(out, "a.arrow");
            assertTrue(out.abandon(1000), "already committed");
        }
        assertEquals(Set.of("a.arrow", Manifest.FILE_NAME), names(target()));
    }

    @Test
    void commitRefusesAManifestThatDisagreesWithTheFiles() throws IOException {
        try (OutputDirectory out = OutputDirectory.create(target())) {
            Files.writeString(out.file("a.arrow"), "12345");
            Manifest manifest = new Manifest();
            manifest.outputs.add(new Manifest.OutputFile("a.arrow", 4, 1L));
            assertThrows(IllegalStateException.class, () -> out.commit(manifest));
        }
        assertFalse(Files.exists(target()));
    }
}
