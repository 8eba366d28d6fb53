package dev.recstage.tools.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recstage.core.cli.ExitCode;
import dev.recstage.tools.CsvRows;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@QuarkusMainTest
class GenerateCommandTest {
    private static final Instant EPOCH = Instant.parse("2025-01-01T00:00:00Z");
    private static final Pattern CJK = Pattern.compile("\\p{IsHan}");
    private static final Pattern TAGS = Pattern.compile("[a-z]+(\\|[a-z]+){0,4}");
    private static final Pattern YEAR_SUFFIX = Pattern.compile("( \\d{4}|\\d{4}年)$");

    @TempDir
    Path dir;

    private Path generate(QuarkusMainLauncher launcher, String name, String... options) {
        Path out = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("generate", "--out", out.toString()));
        args.addAll(List.of(options));
        LaunchResult result = launcher.launch(args.toArray(String[]::new));
        assertEquals(0, result.exitCode(), result.getErrorOutput());
        assertTrue(result.getOutput().contains("wrote " + out.resolve("items.csv")), result.getOutput());
        return out;
    }

    @Test
    void sameSeedGivesByteIdenticalFilesAndAnotherSeedOtherFiles(QuarkusMainLauncher launcher) throws Exception {
        String[] options = {"--items", "600", "--crawler-share", "0.05", "--embeddings-dim", "8", "--seed", "7"};
        Path first = generate(launcher, "a", options);
        Path second = generate(launcher, "b", options);
        options[options.length - 1] = "8";
        Path other = generate(launcher, "c", options);
        for (String file : List.of("items.csv", "interactions.csv", "embeddings.arrow")) {
            assertEquals(-1, Files.mismatch(first.resolve(file), second.resolve(file)), file + " differs between runs with one seed");
            assertNotEquals(-1, Files.mismatch(first.resolve(file), other.resolve(file)), file + " is the same under another seed");
        }
    }

    @Test
    void itemsParseBackWithTheRawColumnsAndTheirShapes(QuarkusMainLauncher launcher) throws Exception {
        int items = 3000;
        CsvRows csv = CsvRows.read(generate(launcher, "g", "--items", Integer.toString(items)).resolve("items.csv"));
        assertEquals(List.of("item_id", "title", "description", "tags", "category", "create_time"), csv.header());
        assertEquals(items, csv.rows().size());
        assertEquals(items, new HashSet<>(csv.column("item_id")).size(), "item ids are unique");

        int chinese = 0;
        for (Map<String, String> row : csv.rows()) {
            String title = YEAR_SUFFIX.matcher(row.get("title")).replaceFirst(""); // editions add a year
            if (CJK.matcher(title).find()) {
                chinese++;
                assertTrue(title.codePoints().allMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN), title);
                assertTrue(title.length() >= 6 && title.length() <= 16 && title.length() % 2 == 0, "3-8 words of two characters: " + title);
            } else {
                int words = title.split(" ").length;
                assertTrue(words >= 3 && words <= 8, "3-8 words: " + title);
            }
            int descriptionWords = row.get("description").split("\\s+").length;
            assertTrue(descriptionWords >= 20 && descriptionWords <= 60, descriptionWords + " words: " + row.get("description"));
            String tags = row.get("tags");
            assertTrue(tags.isEmpty() || TAGS.matcher(tags).matches(), "tags: " + tags);
            Instant created = Instant.parse(row.get("create_time"));
            assertTrue(created.isBefore(EPOCH), row.get("create_time"));
        }
        double chineseShare = chinese / (double) items;
        assertTrue(chineseShare > 0.17 && chineseShare < 0.23, "Chinese titles " + chineseShare);
        List<String> descriptions = csv.column("description");
        // Fields that need RFC 4180 quoting came back whole.
        assertTrue(descriptions.stream().anyMatch(d -> d.contains("\"")), "quotes inside a field");
        assertTrue(descriptions.stream().anyMatch(d -> d.contains("\n")), "line breaks inside a field");
        assertTrue(descriptions.stream().anyMatch(d -> d.contains(",")), "commas inside a field");
        long withCategory = csv.column("category").stream().filter(c -> !c.isEmpty()).count();
        assertTrue(withCategory > 0.97 * items && withCategory < items, withCategory + " items with a category");
    }

    @Test
    void interactionsParseBackInTimeOrderWithSkewedUsersAndItems(QuarkusMainLauncher launcher) throws Exception {
        int items = 2000;
        Path out = generate(launcher, "g", "--items", Integer.toString(items), "--users", "700", "--events", "30000");
        CsvRows csv = CsvRows.read(out.resolve("interactions.csv"));
        Set<String> itemIds = new HashSet<>(CsvRows.read(out.resolve("items.csv")).column("item_id"));
        assertEquals(List.of("user_id", "item_id", "event_type", "create_time"), csv.header());
        assertEquals(30000, csv.rows().size());

        Map<String, Integer> perUser = new HashMap<>();
        Map<String, Integer> perItem = new HashMap<>();
        Map<String, Integer> perType = new HashMap<>();
        Instant previous = Instant.MIN;
        for (Map<String, String> row : csv.rows()) {
            perUser.merge(row.get("user_id"), 1, Integer::sum);
            perItem.merge(row.get("item_id"), 1, Integer::sum);
            perType.merge(row.get("event_type"), 1, Integer::sum);
            assertTrue(itemIds.contains(row.get("item_id")), row.get("item_id"));
            Instant time = Instant.parse(row.get("create_time"));
            assertTrue(!time.isBefore(EPOCH.minus(365, ChronoUnit.DAYS)) && time.isBefore(EPOCH), time.toString());
            assertTrue(!time.isBefore(previous), "written in time order");
            previous = time;
        }
        assertEquals(700, perUser.size(), "every user has events");
        assertEquals(Set.of("view", "download", "favorite"), perType.keySet());
        assertEquals(0.80, perType.get("view") / 30000.0, 0.02);
        assertEquals(0.15, perType.get("download") / 30000.0, 0.02);
        assertEquals(0.05, perType.get("favorite") / 30000.0, 0.01);
        // Heavy tails: the busiest tenth of users and the most popular tenth of items do far more than a tenth.
        assertTrue(topShare(perUser, 0.1) > 0.3, "busiest users' share " + topShare(perUser, 0.1));
        assertTrue(topShare(perItem, 0.1) > 0.3, "most popular items' share " + topShare(perItem, 0.1));
    }

    @Test
    void crawlerTakesItsShareOverManyDistinctItems(QuarkusMainLauncher launcher) throws Exception {
        int items = 1000;
        Path out = generate(launcher, "g", "--items", Integer.toString(items), "--crawler-share", "0.1");
        CsvRows csv = CsvRows.read(out.resolve("interactions.csv"));
        assertEquals(20 * items, csv.rows().size());
        Map<String, List<Map<String, String>>> byUser = csv.rows().stream().collect(Collectors.groupingBy(r -> r.get("user_id")));
        assertEquals(items / 2 + 1, byUser.size(), "the crawler is one more user");
        List<Map<String, String>> crawler = byUser.values().stream().max((a, b) -> Integer.compare(a.size(), b.size())).orElseThrow();
        assertEquals(0.1, crawler.size() / (double) csv.rows().size(), 0.001);
        long distinct = crawler.stream().map(r -> r.get("item_id")).distinct().count();
        assertTrue(distinct > 0.7 * items, "crawler touched " + distinct + " distinct items");
        Instant first = Instant.parse(crawler.get(0).get("create_time"));
        Instant last = Instant.parse(crawler.get(crawler.size() - 1).get("create_time"));
        assertTrue(Duration.between(first, last).toDays() <= 30, "crawled within a month");
    }

    @Test
    void itemsOfOneTopicShareWordsAndVectors(QuarkusMainLauncher launcher) throws Exception {
        int items = 1500;
        Path out = generate(launcher, "g", "--items", Integer.toString(items), "--embeddings-dim", "16");
        CsvRows csv = CsvRows.read(out.resolve("items.csv"));
        List<Set<String>> words = csv.column("description").stream()
                .map(d -> Arrays.stream(d.toLowerCase().split("[^a-z]+")).filter(w -> !w.isEmpty()).collect(Collectors.toSet()))
                .toList();
        List<String> categories = csv.column("category");
        float[][] vectors = EmbeddingsFile.read(out.resolve("embeddings.arrow"), csv.column("item_id"), 16);
        double[] sameWords = new double[2];
        double[] otherWords = new double[2];
        double[] sameCos = new double[2];
        double[] otherCos = new double[2];
        SplittableRandom rng = new SplittableRandom(1);
        for (int pair = 0; pair < 20000; pair++) {
            int a = rng.nextInt(items);
            int b = rng.nextInt(items);
            if (a == b || categories.get(a).isEmpty() || categories.get(b).isEmpty()) {
                continue;
            }
            boolean same = categories.get(a).equals(categories.get(b));
            add(same ? sameWords : otherWords, jaccard(words.get(a), words.get(b)));
            add(same ? sameCos : otherCos, cosine(vectors[a], vectors[b]));
        }
        double within = sameWords[0] / sameWords[1];
        double across = otherWords[0] / otherWords[1];
        assertTrue(within > 1.5 * across, "word overlap within topics " + within + ", across " + across);
        assertTrue(sameCos[0] / sameCos[1] > 0.4 && Math.abs(otherCos[0] / otherCos[1]) < 0.2,
                "cosine within topics " + sameCos[0] / sameCos[1] + ", across " + otherCos[0] / otherCos[1]);
    }

    @Test
    void impossibleOptionsAreUsageErrors(QuarkusMainLauncher launcher) {
        LaunchResult share = launcher.launch("generate", "--items", "10", "--crawler-share", "1.5", "--out", dir.toString());
        assertEquals(ExitCode.USAGE, share.exitCode());
        assertTrue(share.getErrorOutput().contains("--crawler-share must be in [0, 1)"), share.getErrorOutput());
        LaunchResult events = launcher.launch("generate", "--items", "10", "--users", "50", "--events", "20", "--out", dir.toString());
        assertEquals(ExitCode.USAGE, events.exitCode());
        assertTrue(events.getErrorOutput().contains("every user needs at least one"), events.getErrorOutput());
        assertEquals(ExitCode.USAGE, launcher.launch("generate", "--out", dir.toString()).exitCode(), "--items is required");
    }

    private static double topShare(Map<String, Integer> counts, double top) {
        int[] sorted = counts.values().stream().mapToInt(Integer::intValue).sorted().toArray();
        int k = (int) Math.ceil(top * sorted.length);
        long total = Arrays.stream(sorted).asLongStream().sum();
        long topSum = Arrays.stream(sorted, sorted.length - k, sorted.length).asLongStream().sum();
        return topSum / (double) total;
    }

    private static void add(double[] meanAccumulator, double value) {
        meanAccumulator[0] += value;
        meanAccumulator[1]++;
    }

    private static double jaccard(Set<String> a, Set<String> b) {
        long common = a.stream().filter(b::contains).count();
        return common / (double) (a.size() + b.size() - common);
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
