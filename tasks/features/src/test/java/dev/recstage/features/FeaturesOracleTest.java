package dev.recstage.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random raw inputs (duplicates, conflicts, unknown items, repeated events) run through the
 * command and compared with an oracle written here with plain collections.
 */
@QuarkusMainTest
class FeaturesOracleTest {
    private static final long DAY = 86_400;
    private static final String[] EVENTS = {"view", "download", "favorite"};

    @TempDir
    Path dir;

    record ItemRow(long line, String id, String title, String category, long time) {
        String content() {
            return title + "\u0000" + category;
        }
    }

    record EventRow(String user, String item, String event, long time, float weight) {
    }

    @Test
    void matchesOracleOnRandomInputs(QuarkusMainLauncher launcher) throws IOException {
        for (int seed = 1; seed <= 4; seed++) {
            runCase(launcher, new Random(seed), seed);
        }
    }

    private void runCase(QuarkusMainLauncher launcher, Random random, int seed) throws IOException {
        long base = Instant.parse("2024-03-01T00:00:00Z").getEpochSecond();
        List<ItemRow> items = new ArrayList<>();
        StringBuilder itemsCsv = new StringBuilder("item_id,title,category,create_time\n");
        int distinct = 20 + random.nextInt(30);
        int rows = distinct + random.nextInt(15);
        for (int r = 0; r < rows; r++) {
            String id = "i" + (r < distinct ? r : random.nextInt(distinct));
            String title = random.nextInt(3) == 0 && r >= distinct ? titleOf(items, id) : "title \"" + random.nextInt(4) + "\", x";
            String category = "c" + random.nextInt(3);
            long time = base - random.nextInt(5) * DAY;
            items.add(new ItemRow(r + 2, id, title, category, time));
            itemsCsv.append(id).append(",\"").append(title.replace("\"", "\"\"")).append("\",").append(category).append(',')
                    .append(Instant.ofEpochSecond(time)).append('\n');
        }
        List<EventRow> events = new ArrayList<>();
        StringBuilder eventsCsv = new StringBuilder("user_id,item_id,event_type,create_time,weight\n");
        int eventRows = 300 + random.nextInt(300);
        for (int r = 0; r < eventRows; r++) {
            EventRow row = r > 0 && random.nextInt(10) == 0 ? events.get(random.nextInt(events.size()))
                    : new EventRow("u" + random.nextInt(25), random.nextInt(40) == 0 ? "missing" : "i" + random.nextInt(distinct),
                    EVENTS[random.nextInt(3)], base - random.nextInt(40 * 24) * 3600L, random.nextInt(5) + 0.5f);
            events.add(row);
            // Mixed timestamp forms: epoch seconds, epoch milliseconds, ISO with and without zone.
            String time = switch (r % 4) {
                case 0 -> Long.toString(row.time());
                case 1 -> Long.toString(row.time() * 1000);
                case 2 -> Instant.ofEpochSecond(row.time()).toString();
                default -> Instant.ofEpochSecond(row.time()).toString().replace("Z", "");
            };
            eventsCsv.append(row.user()).append(',').append(row.item()).append(',').append(row.event()).append(',')
                    .append(time).append(',').append(row.weight()).append('\n');
        }
        Path itemsFile = Files.writeString(dir.resolve("items" + seed + ".csv"), itemsCsv);
        Path eventsFile = Files.writeString(dir.resolve("events" + seed + ".csv"), eventsCsv);
        Path out = dir.resolve("out" + seed);
        LaunchResult result = launcher.launch("--items", itemsFile.toString(), "--interactions", eventsFile.toString(),
                "--out", out.toString(), "--max-reject-ratio", "0.5");
        assertEquals(0, result.exitCode(), result.getErrorOutput());

        // Oracle: per id the newest row (the later line on equal times); conflicting older rows rejected.
        Map<String, ItemRow> kept = new HashMap<>();
        int conflicts = 0;
        for (ItemRow row : items) {
            ItemRow current = kept.get(row.id());
            if (current == null || row.time() >= current.time()) {
                if (current != null && !current.content().equals(row.content())) {
                    conflicts++;
                }
                kept.put(row.id(), row);
            } else if (!current.content().equals(row.content())) {
                conflicts++;
            }
        }
        List<ItemRow> catalog = kept.values().stream().sorted(Comparator.comparingLong(ItemRow::line)).toList();
        Map<String, Integer> itemIndex = new HashMap<>();
        for (ItemRow row : catalog) {
            itemIndex.put(row.id(), itemIndex.size());
        }
        Map<String, Integer> userIndex = new LinkedHashMap<>();
        Map<String, Integer> eventCode = new LinkedHashMap<>();
        Set<List<Object>> seen = new LinkedHashSet<>();
        List<long[]> expected = new ArrayList<>();
        int unknown = 0;
        for (EventRow row : events) {
            if (!itemIndex.containsKey(row.item())) {
                unknown++;
                continue;
            }
            int user = userIndex.computeIfAbsent(row.user(), u -> userIndex.size());
            int event = eventCode.computeIfAbsent(row.event(), e -> eventCode.size());
            if (seen.add(List.of(row.user(), row.item(), row.event(), row.time()))) {
                expected.add(new long[] {user, itemIndex.get(row.item()), event, Float.floatToIntBits(row.weight()), row.time()});
            }
        }
        expected.sort(Comparator.<long[]>comparingLong(r -> r[0]).thenComparingLong(r -> r[4])
                .thenComparingLong(r -> r[1]).thenComparingLong(r -> r[2]));

        FeaturesOutput output = FeaturesOutput.read(out);
        assertEquals(catalog.stream().map(ItemRow::id).toList(), output.itemIds());
        for (int i = 0; i < catalog.size(); i++) {
            assertEquals(catalog.get(i).title(), output.itemText().get(i)[0]);
            assertEquals(catalog.get(i).category(), output.itemText().get(i)[3]);
        }
        assertEquals(List.copyOf(userIndex.keySet()), output.userIds());
        assertEquals(List.copyOf(eventCode.keySet()), output.events());
        assertEquals(expected.size(), output.interactions().size());
        for (int r = 0; r < expected.size(); r++) {
            assertArrayEquals(expected.get(r), output.interactions().get(r), "interaction row " + r);
        }
        String rejects = Files.readString(out.resolve("rejects.csv"));
        assertEquals(conflicts, count(rejects, "duplicate_item_conflict"));
        assertEquals(unknown, count(rejects, "unknown_item"));

        // Windows end at the latest interaction: counts per event over 7 and 30 days, users over 30.
        long asOf = expected.stream().mapToLong(r -> r[4]).max().orElseThrow();
        for (Map.Entry<String, Integer> event : eventCode.entrySet()) {
            long[] week = new long[catalog.size()];
            long[] month = new long[catalog.size()];
            for (long[] r : expected) {
                if (r[2] == event.getValue() && r[4] > asOf - 30 * DAY) {
                    month[(int) r[1]]++;
                    if (r[4] > asOf - 7 * DAY) {
                        week[(int) r[1]]++;
                    }
                }
            }
            assertEquals(asList(week), output.itemFeatures().get(event.getKey() + "_7d"));
            assertEquals(asList(month), output.itemFeatures().get(event.getKey() + "_30d"));
        }
        long[] users30 = new long[catalog.size()];
        Set<List<Long>> pairs = new java.util.HashSet<>();
        for (long[] r : expected) {
            if (r[4] > asOf - 30 * DAY && pairs.add(List.of(r[0], r[1]))) {
                users30[(int) r[1]]++;
            }
        }
        assertEquals(asList(users30), output.itemFeatures().get("users_30d"));
        assertTrue(Files.readString(out.resolve("manifest.json")).contains("\"as_of\" : \"" + Instant.ofEpochSecond(asOf) + "\""));
    }

    private static String titleOf(List<ItemRow> items, String id) {
        return items.stream().filter(r -> r.id().equals(id)).reduce((a, b) -> b).map(ItemRow::title).orElse("t");
    }

    private static List<Object> asList(long[] values) {
        return new ArrayList<>(Arrays.stream(values).boxed().toList());
    }

    private static int count(String text, String word) {
        int n = 0;
        for (int at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
            n++;
        }
        return n;
    }
}
