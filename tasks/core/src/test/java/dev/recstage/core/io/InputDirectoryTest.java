package dev.recstage.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.core.cli.ExitCode;
import dev.recstage.core.cli.StageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputDirectoryTest {
    @TempDir
    Path parent;

    /** A committed "features" output with items.arrow and users.arrow. */
    private Path output() throws IOException {
        Path target = parent.resolve("features");
        try (OutputDirectory out = OutputDirectory.create(target)) {
            Manifest manifest = new Manifest();
            manifest.stage = "features";
            for (String name : new String[] {"items.arrow", "users.arrow"}) {
                Files.writeString(out.file(name), "bytes of " + name);
                manifest.outputs.add(new Manifest.OutputFile(name, out.size(name), 2L));
            }
            out.commit(manifest);
        }
        return target;
    }

    private static StageException refused(Path dir, String stage) {
        StageException e = assertThrows(StageException.class, () -> InputDirectory.open(dir, stage));
        assertEquals(ExitCode.INPUT_DATA, e.exitCode(), e.getMessage());
        return e;
    }

    @Test
    void acceptsACompleteOutput() throws IOException {
        InputDirectory input = InputDirectory.open(output(), "features");
        assertEquals("features", input.manifest().stage);
        assertTrue(input.has("items.arrow"));
        assertFalse(input.has("embeddings.arrow"));
        assertEquals(input.dir().resolve("users.arrow"), input.file("users.arrow"));
        StageException unlisted = assertThrows(StageException.class, () -> input.file("embeddings.arrow"));
        assertEquals(ExitCode.INPUT_DATA, unlisted.exitCode());
    }

    @Test
    void missingDirectory() {
        assertTrue(refused(parent.resolve("nowhere"), "features").getMessage().contains("does not exist"));
    }

    @Test
    void directoryWithoutManifestIsNotAnOutput() throws IOException {
        Path dir = Files.createDirectory(parent.resolve("half"));
        Files.writeString(dir.resolve("items.arrow"), "x");
        String message = refused(dir, "features").getMessage();
        assertTrue(message.contains("has no manifest.json") && message.contains("features stage"), message);
    }

    @Test
    void listedFileMissing() throws IOException {
        Path dir = output();
        Files.delete(dir.resolve("users.arrow"));
        String message = refused(dir, "features").getMessage();
        assertTrue(message.contains("users.arrow is listed in") && message.contains("but missing"), message);
    }

    @Test
    void listedFileOfAnotherSize() throws IOException {
        Path dir = output();
        Files.writeString(dir.resolve("items.arrow"), "changed afterwards");
        String message = refused(dir, "features").getMessage();
        assertTrue(message.contains("items.arrow is 18 bytes but") && message.contains("changed after it was written"), message);
    }

    @Test
    void outputOfAnotherStage() throws IOException {
        String message = refused(output(), "content-similarity").getMessage();
        assertTrue(message.contains("written by stage 'features', expected 'content-similarity'"), message);
    }

    @Test
    void manifestOfAnotherFormatVersion() throws IOException {
        Path dir = output();
        Path manifestFile = dir.resolve(Manifest.FILE_NAME);
        Files.writeString(manifestFile, Files.readString(manifestFile).replace("\"format_version\" : 1", "\"format_version\" : 2"));
        String message = refused(dir, "features").getMessage();
        assertTrue(message.contains("format version 2 found, 1 expected"), message);
    }

    @Test
    void unreadableManifest() throws IOException {
        Path dir = output();
        Files.writeString(dir.resolve(Manifest.FILE_NAME), "{ not json");
        assertTrue(refused(dir, "features").getMessage().contains("manifest.json cannot be read"));
    }
}
