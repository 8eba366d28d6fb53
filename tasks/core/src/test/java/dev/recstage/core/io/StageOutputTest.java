package dev.recstage.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.core.cli.ExitCode;
import dev.recstage.core.cli.StageException;
import dev.recstage.core.config.Shard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StageOutputTest {
    private static final String STAGE = "content-similarity";
    private static final String TABLE = "content_neighbors.arrow";

    @TempDir
    Path parent;

    /** A committed output at {@code target} recording {@code shard}, with one table and the given input. */
    private static void output(Path target, Shard shard, String input) throws IOException {
        try (OutputDirectory out = OutputDirectory.create(target)) {
            Manifest manifest = new Manifest();
            manifest.stage = STAGE;
            manifest.config.put("shard", shard.toString());
            manifest.inputs.add(new Manifest.InputFile(input, 10));
            Files.writeString(out.file(TABLE), "rows of " + shard);
            manifest.outputs.add(new Manifest.OutputFile(TABLE, out.size(TABLE), (long) shard.index() + 1));
            out.commit(manifest);
        }
    }

    private Path sharded(int count, String... inputs) throws IOException {
        Path dir = parent.resolve("content");
        for (int i = 0; i < count; i++) {
            output(StageOutput.shardDirectory(dir, new Shard(i, count)), new Shard(i, count), inputs.length > i ? inputs[i] : "items.arrow");
        }
        return dir;
    }

    private static StageException refused(Path dir) {
        StageException e = assertThrows(StageException.class, () -> StageOutput.open(dir, STAGE));
        assertEquals(ExitCode.INPUT_DATA, e.exitCode(), e.getMessage());
        return e;
    }

    @Test
    void unshardedOutputIsItsOwnOnlyPart() throws IOException {
        Path dir = parent.resolve("content");
        output(dir, Shard.WHOLE, "items.arrow");
        StageOutput table = StageOutput.open(dir, STAGE);
        assertFalse(table.sharded());
        assertEquals(List.of(dir.resolve(TABLE)), table.files(TABLE));
        assertEquals(List.of(dir.resolve(TABLE)), StageOutput.physicalFiles(dir.resolve(TABLE)));
        assertEquals(1, table.rows(TABLE));
    }

    @Test
    void shardsAreReadInShardOrderNotNameOrder() throws IOException {
        Path dir = sharded(12);
        StageOutput table = StageOutput.open(dir, STAGE);
        assertTrue(table.sharded());
        List<Path> files = table.files(TABLE);
        assertEquals(12, files.size());
        for (int i = 0; i < 12; i++) {
            assertEquals(dir.resolve("shard-" + i + "-of-12").resolve(TABLE), files.get(i));
        }
        assertEquals(files, StageOutput.physicalFiles(dir.resolve(TABLE)));
        assertEquals(78, table.rows(TABLE));
        assertEquals(STAGE, StageOutput.open(dir, null).firstManifest().stage);
    }

    @Test
    void aMissingShardIsNamed() throws IOException {
        Path dir = sharded(3);
        OutputDirectory.deleteTree(dir.resolve("shard-1-of-3"));
        String message = refused(dir).getMessage();
        assertTrue(message.contains("shard 1 of 3 is missing"), message);
        StageException viaFile = assertThrows(StageException.class, () -> StageOutput.physicalFiles(dir.resolve(TABLE)));
        assertEquals(ExitCode.INPUT_DATA, viaFile.exitCode());
    }

    @Test
    void aShardStillBeingWrittenIsMissing() throws IOException {
        Path dir = sharded(3);
        OutputDirectory.deleteTree(dir.resolve("shard-2-of-3"));
        // What a running shard leaves visible: its hidden staging directory only.
        Files.createDirectories(dir.resolve(".shard-2-of-3.staging-1"));
        Files.writeString(dir.resolve(".shard-2-of-3.staging-1").resolve(TABLE), "half");
        assertTrue(refused(dir).getMessage().contains("shard 2 of 3 is missing"));
    }

    @Test
    void shardsOfDifferentSplitsAreRefused() throws IOException {
        Path dir = sharded(2);
        output(StageOutput.shardDirectory(dir, new Shard(0, 3)), new Shard(0, 3), "items.arrow");
        assertTrue(refused(dir).getMessage().contains("different splits"));
    }

    @Test
    void shardsOfDifferentInputsAreRefused() throws IOException {
        Path dir = sharded(3, "items.arrow", "items.arrow", "other-items.arrow");
        assertTrue(refused(dir).getMessage().contains("shard 2 of 3 read other inputs"));
    }

    @Test
    void aShardInTheWrongDirectoryIsRefused() throws IOException {
        Path dir = parent.resolve("content");
        output(StageOutput.shardDirectory(dir, new Shard(0, 2)), new Shard(0, 2), "items.arrow");
        output(StageOutput.shardDirectory(dir, new Shard(1, 2)), new Shard(0, 2), "items.arrow");
        assertTrue(refused(dir).getMessage().contains("written as shard 0/2, found as shard 1/2"));
    }

    @Test
    void neitherManifestNorShardsIsNotAnOutput() throws IOException {
        Path dir = Files.createDirectory(parent.resolve("content"));
        assertTrue(refused(dir).getMessage().contains("not a finished output of the content-similarity stage"));
        assertTrue(refused(parent.resolve("nowhere")).getMessage().contains("does not exist"));
    }
}
