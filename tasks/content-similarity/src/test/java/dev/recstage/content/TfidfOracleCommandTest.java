package dev.recstage.content;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.content.text.TextRules;
import dev.recstage.content.tfidf.TfidfModel;
import dev.recstage.content.tfidf.TfidfModelFile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stage's TF-IDF against {@link TfidfOracle} on random documents, for every TF-IDF setting
 * (sublinear tf, min_df and max_df as counts and shares, max_features; smooth idf always): the
 * saved model (vocabulary, df, idf) and every neighbour score, with K above the number of items so
 * that each item lists all items it shares a term with.
 */
@QuarkusMainTest
class TfidfOracleCommandTest {
    private static final int ITEMS = 70;
    private static final double TOLERANCE = 1e-5;
    /** Settings in the order of TfidfOracle.Settings: each value of each setting appears at least once. */
    private static final List<TfidfOracle.Settings> SETTINGS = List.of(
            new TfidfOracle.Settings(1, 1.0, null, false),
            new TfidfOracle.Settings(1, 1.0, null, true),
            new TfidfOracle.Settings(2, 0.5, null, false),
            new TfidfOracle.Settings(0.1, 12, null, true),
            new TfidfOracle.Settings(1, 1.0, 10, false),
            new TfidfOracle.Settings(2, 0.5, 10, true),
            new TfidfOracle.Settings(3, 1.0, 5, false));

    @TempDir
    Path work;

    /** Random documents over 40 two- and three-letter words with Zipf-like frequencies: repeats, shared and rare terms, empty documents. */
    private static List<List<String>> documents(long seed) {
        Random random = new Random(seed);
        List<List<String>> documents = new ArrayList<>();
        for (int d = 0; d < ITEMS; d++) {
            List<String> words = new ArrayList<>();
            int length = d % 11 == 3 ? 0 : 1 + random.nextInt(12);
            for (int w = 0; w < length; w++) {
                int rank = (int) Math.floor(Math.pow(40, random.nextDouble()));
                words.add(rank < 26 ? "q" + (char) ('a' + rank) : "z" + (char) ('a' + rank % 26) + (char) ('a' + rank / 26));
            }
            documents.add(words);
        }
        return documents;
    }

    private static String setting(Number value) {
        return value instanceof Integer ? value.toString() : Double.toString(value.doubleValue());
    }

    @Test
    void modelAndEveryScoreEqualTheDefinition(QuarkusMainLauncher launcher) {
        int checkedPairs = 0;
        for (long seed : new long[] {3, 4}) {
            List<List<String>> documents = documents(seed);
            List<FeaturesFixture.Item> items = new ArrayList<>();
            for (int d = 0; d < documents.size(); d++) {
                items.add(new FeaturesFixture.Item("d" + d, String.join(" ", documents.get(d)), null, null, null));
            }
            Path features = work.resolve("features-" + seed);
            FeaturesFixture.write(features, items, null);
            for (TfidfOracle.Settings settings : SETTINGS) {
                String name = seed + "-" + settings;
                System.setProperty("content.fields", "title");
                System.setProperty("tfidf.min-df", setting(settings.minDf()));
                System.setProperty("tfidf.max-df", setting(settings.maxDf()));
                System.setProperty("tfidf.sublinear-tf", settings.sublinearTf() ? "1" : "0");
                if (settings.maxFeatures() != null) {
                    System.setProperty("tfidf.max-features", settings.maxFeatures().toString());
                }
                Path out = work.resolve("out-" + seed + "-" + SETTINGS.indexOf(settings));
                LaunchResult result;
                try {
                    result = launcher.launch("--features", features.toString(), "--out", out.toString(), "--top-k", "1000");
                } finally {
                    for (String property : List.of("content.fields", "tfidf.min-df", "tfidf.max-df", "tfidf.sublinear-tf", "tfidf.max-features")) {
                        System.clearProperty(property);
                    }
                }
                assertEquals(0, result.exitCode(), () -> name + ": " + result.getErrorOutput());
                TfidfOracle oracle = new TfidfOracle(documents, settings);
                checkModel(out, oracle, name);
                checkedPairs += checkScores(out, oracle, name);
            }
        }
        assertTrue(checkedPairs > 10_000, "the documents should share terms: " + checkedPairs + " pairs checked");
    }

    private static void checkModel(Path out, TfidfOracle oracle, String name) {
        try (RootAllocator allocator = new RootAllocator()) {
            TfidfModel model = TfidfModelFile.read(out.resolve(TfidfModelFile.FILE_NAME), TextRules.KNOWN_FIELDS, allocator);
            assertArrayEquals(oracle.df.keySet().toArray(String[]::new), model.terms(), name + ": vocabulary");
            for (int c = 0; c < model.size(); c++) {
                String term = model.terms()[c];
                assertEquals(oracle.df.get(term), model.df()[c], name + ": df of " + term);
                assertEquals(oracle.idf.get(term), model.idf()[c], TOLERANCE, name + ": idf of " + term);
            }
        }
    }

    /** Every item lists exactly the items it shares a kept term with, each with the definition's cosine. */
    private static int checkScores(Path out, TfidfOracle oracle, String name) {
        Map<Integer, Set<Integer>> listed = new HashMap<>();
        for (NeighborRows.Row row : NeighborRows.read(out.resolve(ContentSimilarityRun.CONTENT_FILE)).rows()) {
            listed.computeIfAbsent(row.item(), i -> new HashSet<>()).add(row.neighbor());
            double expected = oracle.cosine(row.item(), row.neighbor());
            assertEquals(expected, row.score(), TOLERANCE, () -> name + ": score of d" + row.item() + " -> d" + row.neighbor());
        }
        int pairs = 0;
        for (int i = 0; i < ITEMS; i++) {
            Set<Integer> expected = new HashSet<>();
            for (int j = 0; j < ITEMS; j++) {
                if (j != i && oracle.cosine(i, j) > 0) {
                    expected.add(j);
                }
            }
            assertEquals(expected, listed.getOrDefault(i, Set.of()), name + ": neighbours of d" + i);
            pairs += expected.size();
        }
        return pairs;
    }
}
