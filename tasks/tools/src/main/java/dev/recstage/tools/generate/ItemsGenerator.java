package dev.recstage.tools.generate;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Writes {@code items.csv} (DESIGN.md's raw items columns): each item belongs to a topic and is
 * written in its words; one in ten is a new edition of the latest original item of its topic.
 */
final class ItemsGenerator {
    static final String FILE = "items.csv";
    static final String[] COLUMNS = {"item_id", "title", "description", "tags", "category", "create_time"};
    private static final double VARIANT_SHARE = 0.1;
    private static final double MISSING_CATEGORY_SHARE = 0.01;
    private static final long YEAR = 365L * 86_400;

    private final Topics topics;
    private final ItemText text;
    private final long seed;
    private final long epoch;

    ItemsGenerator(Topics topics, long seed, long epoch) {
        this.topics = topics;
        this.text = new ItemText(topics);
        this.seed = seed;
        this.epoch = epoch;
    }

    static String id(int item) {
        return String.format("ds%07d", item + 1);
    }

    ItemCatalog write(Path file, int count) {
        String[] ids = new String[count];
        int[] topicOf = new int[count];
        long[] created = new long[count];
        int[] origin = new int[count];
        int[] lastOriginalOfTopic = new int[topics.count()];
        ItemText.Text[] lastOriginalText = new ItemText.Text[topics.count()];
        Arrays.fill(lastOriginalOfTopic, -1);
        int chinese = 0;
        IsoSeconds iso = new IsoSeconds();
        try (CsvOut csv = new CsvOut(file, COLUMNS)) {
            for (int i = 0; i < count; i++) {
                SplittableRandom rng = Draws.stream(seed, Draws.Purpose.ITEMS, i);
                int topic = topics.draw(rng);
                int source = lastOriginalOfTopic[topic];
                ItemText.Text item;
                if (source >= 0 && Draws.chance(rng, VARIANT_SHARE)) {
                    item = text.variantOf(lastOriginalText[topic], topic, rng);
                    origin[i] = source;
                    // A later edition: up to a year after its source, never after the epoch.
                    created[i] = Math.min(epoch - 1, created[source] + 1 + rng.nextLong(YEAR));
                } else {
                    item = text.create(topic, rng);
                    origin[i] = i;
                    created[i] = creationTime(rng);
                    lastOriginalOfTopic[topic] = i;
                    lastOriginalText[topic] = item;
                }
                ids[i] = id(i);
                topicOf[i] = topic;
                chinese += item.chineseTitle() ? 1 : 0;
                String category = Draws.chance(rng, MISSING_CATEGORY_SHARE) ? "" : topics.category(topic);
                csv.row(ids[i], item.title(), item.description(), item.tags(), category, iso.format(created[i]));
            }
        }
        return new ItemCatalog(ids, topicOf, created, origin, chinese);
    }

    /** Three in four items predate the year of interactions (up to three years earlier); the rest appear during it. */
    private long creationTime(SplittableRandom rng) {
        if (Draws.chance(rng, 0.75)) {
            return epoch - YEAR - 1 - rng.nextLong(3 * YEAR);
        }
        return epoch - 1 - rng.nextLong(YEAR);
    }
}
