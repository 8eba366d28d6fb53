package dev.recstage.content;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static dev.recstage.content.StageFiles.bytes;
import static dev.recstage.content.StageFiles.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recstage.content.tfidf.TfidfModelFile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@QuarkusMainTest
class ContentSimilarityCommandTest {
    private static final int ITEMS = 400;
    private static final int DIMENSION = 12;

    @TempDir
    static Path work;
    private static Path textFeatures;
    private static Path vectorFeatures;
    private static List<FeaturesFixture.Item> items;
    private static float[][] vectors;
    private final SystemSettings settings = new SystemSettings();

    @BeforeAll
    static void writeFeatures() {
        items = FeaturesFixture.generatedItems(ITEMS, 42);
        vectors = FeaturesFixture.generatedVectors(ITEMS, DIMENSION, 7);
        textFeatures = work.resolve("features-text");
        vectorFeatures = work.resolve("features-vectors");
        FeaturesFixture.write(textFeatures, items, null);
        FeaturesFixture.write(vectorFeatures, items, vectors);
    }

    @AfterEach
    void clearSettings() {
        settings.clear();
    }

    private Path run(QuarkusMainLauncher launcher, Path features, String name, String... options) {
        Path out = work.resolve(name);
        List<String> args = new ArrayList<>(List.of("--features", features.toString(), "--out", out.toString()));
        args.addAll(List.of(options));
        LaunchResult result = launcher.launch(args.toArray(String[]::new));
        assertEquals(0, result.exitCode(), () -> "stage failed: " + result.getErrorOutput() + result.getOutput());
        return out;
    }

    @Test
    void engineOutputIsByteIdenticalToTheLegacyFullMatrix(QuarkusMainLauncher launcher) {
        Path engine = run(launcher, textFeatures, "engine", "--top-k", "15");
        settings.set("use.legacy-similarity", "1");
        Path legacy = run(launcher, textFeatures, "legacy", "--top-k", "15");
        assertEquals("1", manifest(legacy).get("config").get("USE_LEGACY_SIMILARITY").asText());
        assertEquals("0", manifest(engine).get("config").get("USE_LEGACY_SIMILARITY").asText());
        assertTrue(manifest(engine).get("stats").get("engine").get("approximated_rows").asLong() > 0,
                "the engine takes the approximating path on TF-IDF");
        byte[] expected = bytes(legacy.resolve(ContentSimilarityRun.CONTENT_FILE));
        assertArrayEquals(expected, bytes(engine.resolve(ContentSimilarityRun.CONTENT_FILE)));
        assertTrue(NeighborRows.read(engine.resolve(ContentSimilarityRun.CONTENT_FILE)).rows().size() > ITEMS,
                "the data must give neighbours to compare");
    }

    @Test
    void threadsBatchSizesAndShardsGiveIdenticalOutput(QuarkusMainLauncher launcher) {
        Path reference = run(launcher, textFeatures, "t1", "--top-k", "10", "--threads", "1", "--batch-size", "1000");
        byte[] expected = bytes(reference.resolve(ContentSimilarityRun.CONTENT_FILE));
        for (String[] variant : List.of(new String[] {"--threads", "2", "--batch-size", "7"},
                new String[] {"--threads", "3", "--batch-size", "auto"}, new String[] {"--threads", "2", "--batch-size", "1"})) {
            Path out = run(launcher, textFeatures, "t-" + String.join("", variant), append(variant, "--top-k", "10"));
            assertArrayEquals(expected, bytes(out.resolve(ContentSimilarityRun.CONTENT_FILE)), () -> Arrays.toString(variant));
        }
        List<NeighborRows.Row> concatenated = new ArrayList<>();
        for (int shard = 0; shard < 3; shard++) {
            Path out = run(launcher, textFeatures, "shard" + shard, "--top-k", "10", "--shard", shard + "/3", "--batch-size", "11");
            concatenated.addAll(NeighborRows.read(out.resolve(ContentSimilarityRun.CONTENT_FILE)).rows());
        }
        assertEquals(NeighborRows.read(reference.resolve(ContentSimilarityRun.CONTENT_FILE)).rows(), concatenated);
    }

    private static String[] append(String[] first, String... more) {
        String[] all = Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    @Test
    void vectorAndBlendedNeighboursEqualABruteForceOracle(QuarkusMainLauncher launcher) {
        int k = 9;
        // Text cosines of every overlapping pair: the text-only output with K above the item count.
        settings.set("use.faiss-recall", "0");
        Path textOnly = run(launcher, vectorFeatures, "text-all", "--top-k", Integer.toString(ITEMS));
        assertFalse(Files.exists(textOnly.resolve(ContentSimilarityRun.VECTOR_FILE)), "USE_FAISS_RECALL=0 skips vectors");
        settings.clear();
        Map<Long, Float> text = new HashMap<>();
        for (NeighborRows.Row row : NeighborRows.read(textOnly.resolve(ContentSimilarityRun.CONTENT_FILE)).rows()) {
            text.put((long) row.item() * ITEMS + row.neighbor(), row.score());
        }

        Path blended = run(launcher, vectorFeatures, "blend", "--top-k", Integer.toString(k), "--threads", "2", "--batch-size", "37");
        float[][] unit = normalised(vectors);
        List<List<NeighborRows.Row>> vectorLists = NeighborRows.read(blended.resolve(ContentSimilarityRun.VECTOR_FILE)).byItem(ITEMS);
        List<List<NeighborRows.Row>> blendLists = NeighborRows.read(blended.resolve(ContentSimilarityRun.CONTENT_FILE)).byItem(ITEMS);
        for (int i = 0; i < ITEMS; i++) {
            List<float[]> vectorCandidates = new ArrayList<>();
            List<float[]> blendCandidates = new ArrayList<>();
            for (int j = 0; j < ITEMS; j++) {
                if (j == i) {
                    continue;
                }
                Float textScore = text.get((long) i * ITEMS + j);
                boolean vectorPair = unit[i] != null && unit[j] != null;
                float vectorScore = vectorPair ? dot(unit[i], unit[j]) : 0f;
                if (vectorPair) {
                    vectorCandidates.add(new float[] {j, vectorScore});
                }
                if (vectorPair || textScore != null) {
                    float t = textScore == null ? 0f : textScore;
                    blendCandidates.add(new float[] {j, (float) (0.7 * t + 0.3 * vectorScore)});
                }
            }
            assertEquals(best(vectorCandidates, k), asPairs(vectorLists.get(i)), "vector neighbours of item " + i);
            assertEquals(best(blendCandidates, k), asPairs(blendLists.get(i)), "blended neighbours of item " + i);
        }
        // Some pair without a common term must make the blend's top K through its vector score alone.
        boolean vectorOnlyPairListed = blendLists.stream().flatMap(List::stream)
                .anyMatch(row -> !text.containsKey((long) row.item() * ITEMS + row.neighbor()));
        assertTrue(vectorOnlyPairListed, "the data must exercise pairs with no common term");

        Path other = run(launcher, vectorFeatures, "blend-t1", "--top-k", Integer.toString(k), "--threads", "1", "--batch-size", "1000");
        for (String file : List.of(ContentSimilarityRun.CONTENT_FILE, ContentSimilarityRun.VECTOR_FILE)) {
            assertArrayEquals(bytes(blended.resolve(file)), bytes(other.resolve(file)), file + " depends on threads or batch size");
        }
    }

    /** As the stage normalises: in double, stored as float; null for a missing or zero vector. */
    private static float[][] normalised(float[][] raw) {
        float[][] unit = new float[raw.length][];
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == null) {
                continue;
            }
            double sum = 0;
            for (float v : raw[i]) {
                sum += (double) v * v;
            }
            double norm = Math.sqrt(sum);
            unit[i] = new float[raw[i].length];
            for (int k = 0; k < raw[i].length; k++) {
                unit[i][k] = (float) (raw[i][k] / norm);
            }
        }
        return unit;
    }

    /** As the stage's kernels sum: one fused multiply-add per component, in component order. */
    private static float dot(float[] a, float[] b) {
        float sum = 0f;
        for (int k = 0; k < a.length; k++) {
            sum = Math.fma(a[k], b[k], sum);
        }
        return sum;
    }

    /** The K best (neighbour, score) pairs by score descending, then neighbour ascending. */
    private static List<String> best(List<float[]> candidates, int k) {
        candidates.sort(Comparator.<float[]>comparingDouble(c -> -c[1]).thenComparingDouble(c -> c[0]));
        List<String> pairs = new ArrayList<>();
        for (int r = 0; r < Math.min(k, candidates.size()); r++) {
            pairs.add((int) candidates.get(r)[0] + ":" + candidates.get(r)[1]);
        }
        return pairs;
    }

    private static List<String> asPairs(List<NeighborRows.Row> rows) {
        List<String> pairs = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            assertEquals(r + 1, rows.get(r).rank());
            pairs.add(rows.get(r).neighbor() + ":" + rows.get(r).score());
        }
        return pairs;
    }

    @Test
    void aSavedModelReproducesTheFitAndScoresNewItemsWithTheSameWeights(QuarkusMainLauncher launcher) {
        Path fitted = run(launcher, textFeatures, "fit", "--top-k", Integer.toString(ITEMS));
        Path model = fitted.resolve(TfidfModelFile.FILE_NAME);
        Path reused = run(launcher, textFeatures, "reuse", "--top-k", Integer.toString(ITEMS), "--model", model.toString());
        assertArrayEquals(bytes(fitted.resolve(ContentSimilarityRun.CONTENT_FILE)), bytes(reused.resolve(ContentSimilarityRun.CONTENT_FILE)));
        assertArrayEquals(bytes(model), bytes(reused.resolve(TfidfModelFile.FILE_NAME)));

        // An incremental batch: the old items plus new ones, one of them only with words the model never saw.
        List<FeaturesFixture.Item> more = new ArrayList<>(items);
        more.add(new FeaturesFixture.Item("new-unknown", "zzzunseen qqqnever", null, null, null));
        more.add(new FeaturesFixture.Item("new-known", items.get(1).title(), null, null, null));
        Path grown = work.resolve("features-grown");
        FeaturesFixture.write(grown, more, null);
        Path incremental = run(launcher, grown, "incremental", "--top-k", Integer.toString(ITEMS + 2), "--model", model.toString());
        assertArrayEquals(bytes(model), bytes(incremental.resolve(TfidfModelFile.FILE_NAME)), "the vocabulary must not grow");
        List<List<NeighborRows.Row>> after = NeighborRows.read(incremental.resolve(ContentSimilarityRun.CONTENT_FILE)).byItem(ITEMS + 2);
        assertTrue(after.get(ITEMS).isEmpty(), "unknown terms are ignored, so the item has no neighbours");
        assertFalse(after.get(ITEMS + 1).isEmpty());
        // Same idf, so pairs of old items keep their exact scores.
        Map<Long, Float> before = new HashMap<>();
        for (NeighborRows.Row row : NeighborRows.read(fitted.resolve(ContentSimilarityRun.CONTENT_FILE)).rows()) {
            before.put((long) row.item() * ITEMS + row.neighbor(), row.score());
        }
        int compared = 0;
        for (int i = 0; i < ITEMS; i++) {
            for (NeighborRows.Row row : after.get(i)) {
                if (row.neighbor() < ITEMS) {
                    assertEquals(before.get((long) i * ITEMS + row.neighbor()), row.score(), "score of " + i + "-" + row.neighbor());
                    compared++;
                }
            }
        }
        assertEquals(before.size(), compared);
    }

    @Test
    void textRulesAreRecordedAndASavedModelScoresWithItsOwn(QuarkusMainLauncher launcher) {
        settings.set("content.field-weights", "tags:2,category:3");
        settings.set("content.stop-words", "english");
        settings.set("content.digit-tokens", "drop");
        Path fitted = run(launcher, textFeatures, "rules-fit", "--top-k", "10");
        JsonNode config = manifest(fitted).get("config");
        assertEquals("title:1,description:1,tags:2,category:3", config.get("CONTENT_FIELD_WEIGHTS").asText());
        assertEquals("english", config.get("CONTENT_STOP_WORDS").asText());
        assertEquals("drop", config.get("CONTENT_DIGIT_TOKENS").asText());
        Path model = fitted.resolve(TfidfModelFile.FILE_NAME);
        try (var allocator = new org.apache.arrow.memory.RootAllocator()) {
            assertEquals(Map.of("field_weights", "title:1,description:1,tags:2,category:3", "stop_words", "english",
                    "digit_tokens", "drop"), TfidfModelFile.read(model, List.of("title"), allocator).rules().describe());
        }
        settings.clear();

        // Scored with the configured defaults but the saved model: the model's rules decide, and the run says so.
        Path out = work.resolve("rules-reuse");
        LaunchResult reused = launcher.launch("--features", textFeatures.toString(), "--out", out.toString(), "--top-k", "10",
                "--model", model.toString());
        assertEquals(0, reused.exitCode(), reused::getErrorOutput);
        assertArrayEquals(bytes(fitted.resolve(ContentSimilarityRun.CONTENT_FILE)), bytes(out.resolve(ContentSimilarityRun.CONTENT_FILE)));
        assertEquals("title:1,description:1,tags:2,category:3", manifest(out).get("config").get("CONTENT_FIELD_WEIGHTS").asText());
        String log = reused.getOutput() + reused.getErrorOutput();
        assertTrue(log.contains("CONTENT_STOP_WORDS=none is not used"), log);

        Path plain = run(launcher, textFeatures, "rules-default", "--top-k", "10");
        assertFalse(Arrays.equals(bytes(plain.resolve(ContentSimilarityRun.CONTENT_FILE)),
                bytes(fitted.resolve(ContentSimilarityRun.CONTENT_FILE))), "the rules must change the neighbours of this data");
        assertEquals("none", manifest(plain).get("config").get("CONTENT_STOP_WORDS").asText());
    }

    @Test
    void badTextRulesExitWith2NamingTheVariable(QuarkusMainLauncher launcher) {
        String[][] cases = {
            {"content.field-weights", "tags:two", "CONTENT_FIELD_WEIGHTS"},
            {"content.field-weights", "summary:2", "CONTENT_FIELD_WEIGHTS"},
            {"content.field-weights", "tags:0", "CONTENT_FIELD_WEIGHTS"},
            {"content.field-weights", "tags", "CONTENT_FIELD_WEIGHTS"},
            {"content.stop-words", "french", "CONTENT_STOP_WORDS"},
            {"content.digit-tokens", "maybe", "CONTENT_DIGIT_TOKENS"},
        };
        for (String[] setting : cases) {
            settings.set(setting[0], setting[1]);
            assertRefused(launcher, setting[2], Arrays.toString(setting));
            settings.clear();
        }
        settings.set("content.fields", "title,description");
        settings.set("content.field-weights", "tags:2");
        assertRefused(launcher, "CONTENT_FIELD_WEIGHTS", "a weight for a field that is not read");
        settings.clear();
        settings.set("tfidf.sublinear-tf", "1");
        settings.set("content.field-weights", "title:0.5");
        assertRefused(launcher, "TFIDF_SUBLINEAR_TF", "weights below 1 with sublinear tf");
    }

    private void assertRefused(QuarkusMainLauncher launcher, String variable, String label) {
        LaunchResult result = launcher.launch("--features", textFeatures.toString(), "--out", work.resolve("bad").toString());
        assertEquals(2, result.exitCode(), () -> label + ": " + result.getErrorOutput());
        assertTrue(result.getErrorOutput().startsWith("error: ") && result.getErrorOutput().contains(variable),
                () -> label + ": " + result.getErrorOutput());
        assertFalse(Files.exists(work.resolve("bad")), "a refused run leaves no output");
    }

    @Test
    void manifestAndLogsDescribeTheRun(QuarkusMainLauncher launcher) throws IOException {
        Path out = work.resolve("described");
        LaunchResult result = launcher.launch("--features", vectorFeatures.toString(), "--out", out.toString(),
                "--top-k", "5", "--batch-size", "100");
        assertEquals(0, result.exitCode(), result::getErrorOutput);
        String log = result.getOutput() + result.getErrorOutput();
        assertTrue(log.contains("Computing similarity in batches (total=400, batch_size=100, top_k=5)"), log);
        assertTrue(log.contains("Progress: 4/4 batches (100.0%)"), log);
        assertTrue(log.contains("Memory usage: "), log);
        JsonNode manifest = manifest(out);
        assertEquals("content-similarity", manifest.get("stage").asText());
        assertEquals(ITEMS, manifest.get("stats").get("items").asInt());
        assertTrue(manifest.get("stats").get("vocabulary_size").asInt() > 100);
        assertTrue(manifest.get("stats").get("nnz").asLong() > ITEMS);
        assertEquals("5", manifest.get("config").get("SIMILARITY_TOP_K").asText());
        List<String> files = new ArrayList<>();
        manifest.get("outputs").forEach(o -> files.add(o.get("file").asText() + ":" + o.get("rows").asLong()));
        long contentRows = NeighborRows.read(out.resolve(ContentSimilarityRun.CONTENT_FILE)).rows().size();
        assertTrue(files.contains(ContentSimilarityRun.CONTENT_FILE + ":" + contentRows), files::toString);
        assertTrue(files.stream().anyMatch(f -> f.startsWith(ContentSimilarityRun.VECTOR_FILE + ":")), files::toString);
        assertTrue(files.stream().anyMatch(f -> f.startsWith(TfidfModelFile.FILE_NAME + ":")), files::toString);
        assertEquals(2, manifest.get("inputs").size(), "items.arrow and embeddings.arrow");
    }

    @Test
    void chineseAndMixedTextMakeBigramTerms(QuarkusMainLauncher launcher) throws IOException {
        Path features = work.resolve("features-cjk");
        FeaturesFixture.write(features, List.of(
                new FeaturesFixture.Item("a", "机器学习入门", "Python 数据分析", "AI|机器学习", null),
                new FeaturesFixture.Item("b", "深度学习", "deep learning 入门", null, null),
                new FeaturesFixture.Item("c", "カタカナ", "한국어", null, null)), null);
        Path out = run(launcher, features, "cjk", "--top-k", "2");
        try (var allocator = new org.apache.arrow.memory.RootAllocator()) {
            List<String> terms = Arrays.asList(TfidfModelFile.read(out.resolve(TfidfModelFile.FILE_NAME), List.of("title"), allocator)
                    .terms());
            assertEquals(new TreeSet<>(List.of("ai", "deep", "learning", "python", "机器", "器学", "学习", "习入", "入门", "数据", "据分",
                    "分析", "深度", "度学", "カタ", "タカ", "カナ", "한국", "국어")), new TreeSet<>(terms));
        }
        List<List<NeighborRows.Row>> lists = NeighborRows.read(out.resolve(ContentSimilarityRun.CONTENT_FILE)).byItem(3);
        assertEquals(1, lists.get(0).get(0).neighbor(), "items a and b share 学习 and 入门");
        assertTrue(lists.get(2).isEmpty());
    }

    @Test
    void badSettingsExitWith2(QuarkusMainLauncher launcher) {
        String[][] cases = {{"--top-k", "0"}, {"--batch-size", "many"}, {"--batch-size", "0"}, {"--shard", "3/3"},
            {"--shard", "1-2"}, {"--threads", "0"}, {"--top-k", "40000"}};
        for (String[] options : cases) {
            LaunchResult result = launcher.launch(append(new String[] {"--features", textFeatures.toString(), "--out",
                work.resolve("bad").toString()}, options));
            assertEquals(2, result.exitCode(), () -> Arrays.toString(options) + ": " + result.getErrorOutput());
            assertTrue(result.getErrorOutput().startsWith("error: "), result::getErrorOutput);
        }
        for (String[] setting : List.of(new String[] {"tfidf.max-df", "1.5"}, new String[] {"tfidf.min-df", "0"},
                new String[] {"tfidf.max-df", "2"}, new String[] {"content.fields", "title,summary"},
                new String[] {"tfidf.max-features", "0"})) {
            settings.set(setting[0], setting[1]);
            if (setting[0].equals("tfidf.max-df") && setting[1].equals("2")) {
                settings.set("tfidf.min-df", "3"); // max_df (2 documents) below min_df (3 documents), as sklearn refuses
            }
            LaunchResult result = launcher.launch("--features", textFeatures.toString(), "--out", work.resolve("bad").toString());
            assertEquals(2, result.exitCode(), () -> Arrays.toString(setting) + ": " + result.getErrorOutput());
            settings.clear();
        }
        settings.set("content.text-weight", "0");
        settings.set("content.vector-weight", "0");
        assertEquals(2, launcher.launch("--features", vectorFeatures.toString(), "--out", work.resolve("bad").toString()).exitCode());
        assertFalse(Files.exists(work.resolve("bad")), "a refused run leaves no output");
    }

    @Test
    void inputsThatCannotBeUsedExitWith3(QuarkusMainLauncher launcher) throws IOException {
        Path noManifest = Files.createDirectories(work.resolve("no-manifest"));
        LaunchResult missing = launcher.launch("--features", noManifest.toString(), "--out", work.resolve("x").toString());
        assertEquals(3, missing.exitCode(), missing::getErrorOutput);
        assertTrue(missing.getErrorOutput().contains("manifest.json"), missing::getErrorOutput);

        Path otherVersion = work.resolve("model-v0.arrow");
        ModelFiles.writeWithSchemaVersion(otherVersion, "0");
        LaunchResult stale = launcher.launch("--features", textFeatures.toString(), "--out", work.resolve("x").toString(),
                "--model", otherVersion.toString());
        assertEquals(3, stale.exitCode(), stale::getErrorOutput);
        assertTrue(stale.getErrorOutput().contains("schema version 0"), stale::getErrorOutput);

        LaunchResult absent = launcher.launch("--features", textFeatures.toString(), "--out", work.resolve("x").toString(),
                "--model", work.resolve("nope.arrow").toString());
        assertEquals(3, absent.exitCode(), absent::getErrorOutput);
    }
}
