package dev.recstage.content;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static dev.recstage.content.StageFiles.bytes;
import static dev.recstage.content.StageFiles.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recstage.core.cli.StageException;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** VECTOR_INDEX and the HNSW settings through the whole stage: the choice, its outputs, its manifest, bad values. */
@QuarkusMainTest
class VectorIndexCommandTest {
    private static final int ITEMS = 600;

    @TempDir
    static Path work;
    private static Path features;
    private final SystemSettings settings = new SystemSettings();

    @BeforeAll
    static void writeFeatures() {
        features = work.resolve("features");
        FeaturesFixture.write(features, FeaturesFixture.generatedItems(ITEMS, 17), FeaturesFixture.generatedVectors(ITEMS, 24, 3));
    }

    @AfterEach
    void clearSettings() {
        settings.clear();
    }

    private Path run(QuarkusMainLauncher launcher, String name, String... options) {
        Path out = work.resolve(name);
        List<String> args = new ArrayList<>(List.of("--features", features.toString(), "--out", out.toString(), "--top-k", "20"));
        args.addAll(List.of(options));
        LaunchResult result = launcher.launch(args.toArray(String[]::new));
        assertEquals(0, result.exitCode(), () -> "stage failed: " + result.getErrorOutput() + result.getOutput());
        return out;
    }

    @Test
    void exactIsWhatAutoRunsBelowTheCrossoverAndHnswIsRecordedWithItsParameters(QuarkusMainLauncher launcher) {
        Path auto = run(launcher, "auto");
        settings.set("vector.index", "exact");
        Path exact = run(launcher, "exact");
        for (String file : List.of(ContentSimilarityRun.VECTOR_FILE, ContentSimilarityRun.CONTENT_FILE)) {
            assertArrayEquals(bytes(auto.resolve(file)), bytes(exact.resolve(file)), file);
        }
        assertEquals("exact", manifest(auto).get("stats").get("vector_index").asText());
        assertEquals("auto", manifest(auto).get("config").get("VECTOR_INDEX").asText());
        settings.clear();

        settings.set("vector.index", "hnsw");
        settings.set("vector.hnsw-m", "8");
        settings.set("vector.hnsw-ef-search", "60");
        JsonNode hnsw = manifest(run(launcher, "hnsw"));
        assertEquals("hnsw", hnsw.get("stats").get("vector_index").asText());
        JsonNode parameters = hnsw.get("stats").get("vector_index_parameters");
        assertEquals(8, parameters.get("m").asInt());
        assertEquals(100, parameters.get("ef_construction").asInt());
        assertEquals(60, parameters.get("ef_search").asInt());
        assertTrue(parameters.get("graph_bytes").asLong() > 0);
        assertEquals("60", hnsw.get("config").get("VECTOR_HNSW_EF_SEARCH").asText());
    }

    @Test
    void hnswOutputsAreTheSameOnEveryRunAndForOneOrTwoThreads(QuarkusMainLauncher launcher) {
        settings.set("vector.index", "hnsw");
        Path first = run(launcher, "hnsw-a", "--threads", "2");
        Path second = run(launcher, "hnsw-b", "--threads", "2");
        Path oneThread = run(launcher, "hnsw-c", "--threads", "1", "--batch-size", "50");
        for (String file : List.of(ContentSimilarityRun.VECTOR_FILE, ContentSimilarityRun.CONTENT_FILE)) {
            assertArrayEquals(bytes(first.resolve(file)), bytes(second.resolve(file)), file);
            assertArrayEquals(bytes(first.resolve(file)), bytes(oneThread.resolve(file)), file);
        }
    }

    @Test
    void autoUsesHnswFromTheCrossoverOn() {
        VectorIndexSettings auto = VectorIndexSettings.resolve(config("auto", 16, 100, 400), 200);
        assertFalse(auto.useHnsw(VectorIndexSettings.AUTO_HNSW_FROM_ITEMS - 1));
        assertTrue(auto.useHnsw(VectorIndexSettings.AUTO_HNSW_FROM_ITEMS));
        assertTrue(VectorIndexSettings.resolve(config("hnsw", 16, 100, 400), 200).useHnsw(10));
        assertFalse(VectorIndexSettings.resolve(config("EXACT", 16, 100, 400), 200).useHnsw(10_000_000));
        VectorIndexSettings narrowBeam = VectorIndexSettings.resolve(config("auto", 16, 100, 100), 200);
        assertEquals(null, narrowBeam.hnswFor(1000, 200), "exact below the crossover, whatever the beam");
        StageException refused = assertThrows(StageException.class, () -> narrowBeam.hnswFor(VectorIndexSettings.AUTO_HNSW_FROM_ITEMS, 200));
        assertEquals(2, refused.exitCode());
        assertTrue(refused.getMessage().contains("VECTOR_HNSW_EF_SEARCH=100"), refused.getMessage());
    }

    @Test
    void badSettingsExitWith2NamingTheVariable(QuarkusMainLauncher launcher) {
        String[][] cases = {{"vector.index", "fast", "VECTOR_INDEX"}, {"vector.hnsw-m", "1", "VECTOR_HNSW_M"},
            {"vector.hnsw-m", "600", "VECTOR_HNSW_M"}, {"vector.hnsw-ef-construction", "0", "VECTOR_HNSW_EF_CONSTRUCTION"},
            {"vector.hnsw-ef-search", "0", "VECTOR_HNSW_EF_SEARCH"}, {"vector.hnsw-m", "many", "hnsw-m"}};
        for (String[] setting : cases) {
            settings.set(setting[0], setting[1]);
            assertRefused(launcher, setting);
        }
        // A beam below K: refused when the index is named, or when auto chooses it (from the crossover on: autoUsesHnswFromTheCrossoverOn).
        settings.set("vector.index", "hnsw");
        settings.set("vector.hnsw-ef-search", "19");
        assertRefused(launcher, new String[] {"vector.hnsw-ef-search", "19", "VECTOR_HNSW_EF_SEARCH"});
        // It matters only to the index: exact, and auto below the crossover, run with it.
        for (String index : List.of("exact", "auto")) {
            settings.set("vector.index", index);
            settings.set("vector.hnsw-ef-search", "19");
            run(launcher, "small-ef-" + index);
            settings.clear();
        }
        assertFalse(Files.exists(work.resolve("bad")), "a refused run leaves no output");
    }

    private void assertRefused(QuarkusMainLauncher launcher, String[] setting) {
        LaunchResult result = launcher.launch("--features", features.toString(), "--out", work.resolve("bad").toString(), "--top-k", "20");
        assertEquals(2, result.exitCode(), () -> setting[0] + "=" + setting[1] + ": " + result.getErrorOutput());
        assertTrue(result.getErrorOutput().contains("error: ") && result.getErrorOutput().contains(setting[2]),
                () -> setting[0] + "=" + setting[1] + ": " + result.getErrorOutput());
        settings.clear();
    }

    private static VectorIndexConfig config(String index, int m, int efConstruction, int efSearch) {
        return new VectorIndexConfig() {
            @Override
            public String index() {
                return index;
            }

            @Override
            public int hnswM() {
                return m;
            }

            @Override
            public int hnswEfConstruction() {
                return efConstruction;
            }

            @Override
            public int hnswEfSearch() {
                return efSearch;
            }
        };
    }
}
