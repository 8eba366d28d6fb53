package dev.recstage.behavior;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.core.cli.ExitCode;
import dev.recstage.core.history.EventWeights;
import dev.recstage.core.io.InputDirectory;
import dev.recstage.core.io.Manifest;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The picocli command as Quarkus runs it: options, the defaults of the configuration, exit codes. */
@QuarkusMainTest
class BehaviorCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesNeighboursAndAManifestWithTheEffectiveConfiguration(QuarkusMainLauncher launcher) {
        Path features = FeaturesFixture.random(3, 40, 30, 500).write(dir.resolve("features"), 100);
        Path out = dir.resolve("out");
        LaunchResult result = launcher.launch("--features", features.toString(), "--out", out.toString(),
                "--top-k", "4", "--threads", "2", "--batch-size", "8", "--shard", "1/2");
        assertEquals(ExitCode.OK, result.exitCode(), result.getErrorOutput());
        String log = result.getOutput() + result.getErrorOutput();
        assertTrue(log.contains("Computing similarity in batches (total=20, batch_size=8, top_k=4)"), log);
        assertTrue(log.contains("Progress: 3/3 batches (100.0%)"), log);

        Manifest manifest = InputDirectory.open(out, BehaviorStage.STAGE).manifest();
        assertEquals("cosine", manifest.config.get("BEHAVIOR_METRIC"));
        assertEquals("max", manifest.config.get("BEHAVIOR_AGGREGATION"));
        assertEquals("500", manifest.config.get("BEHAVIOR_MAX_ITEMS_PER_USER"));
        assertEquals("4", manifest.config.get("BEHAVIOR_SIMILARITY_TOP_K"));
        assertEquals("1/2", manifest.config.get("shard"));
        assertEquals("8", manifest.config.get("SIMILARITY_BATCH_SIZE"));
        assertEquals("2", manifest.config.get("SIMILARITY_THREADS"));
        assertEquals("0", manifest.config.get("USE_LEGACY_SIMILARITY"));
        // The fixture's manifest says nothing of its weights, and its event types are all in the default table.
        assertEquals(EventWeights.DEFAULT_TABLE, manifest.config.get("BEHAVIOR_EVENT_WEIGHTS"));
        long rows = manifest.output(BehaviorStage.OUTPUT_FILE).rows();
        assertEquals(rows, StageOutput.read(out.resolve(BehaviorStage.OUTPUT_FILE)).size());
        assertTrue(rows > 0 && rows <= 20 * 4, "rows " + rows);
    }

    @Test
    void missingManifestIsExit3(QuarkusMainLauncher launcher) throws Exception {
        Path features = Files.createDirectories(dir.resolve("features"));
        LaunchResult result = launcher.launch("--features", features.toString(), "--out", dir.resolve("out").toString());
        assertEquals(ExitCode.INPUT_DATA, result.exitCode());
        assertTrue(result.getErrorOutput().contains("has no manifest.json"), result.getErrorOutput());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void badOptionsAreExit2(QuarkusMainLauncher launcher) {
        Path features = dir.resolve("features");
        LaunchResult shard = launcher.launch("--features", features.toString(), "--out", dir.resolve("out").toString(), "--shard", "2/2");
        assertEquals(ExitCode.USAGE, shard.exitCode());
        assertTrue(shard.getErrorOutput().contains("--shard must be i/n with 0 <= i < n (e.g. 0/4 for the first of four shards), got '2/2'"),
                shard.getErrorOutput());
        LaunchResult batch = launcher.launch("--features", features.toString(), "--out", dir.resolve("out").toString(), "--batch-size", "0");
        assertEquals(ExitCode.USAGE, batch.exitCode());
        assertTrue(batch.getErrorOutput().contains("--batch-size / SIMILARITY_BATCH_SIZE must be a positive integer, got 0"),
                batch.getErrorOutput());
        LaunchResult topK = launcher.launch("--features", features.toString(), "--out", dir.resolve("out").toString(), "--top-k", "0");
        assertEquals(ExitCode.USAGE, topK.exitCode());
        assertTrue(topK.getErrorOutput().contains("must be a positive integer, got 0"), topK.getErrorOutput());
    }
}
