package dev.recstage.tools.generate;

import dev.recstage.core.cli.StageException;
import dev.recstage.core.memory.ByteSize;
import dev.recstage.tools.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code generate}: synthetic raw inputs of the features stage, deterministic by seed (same seed,
 * byte-identical files), realistic where benchmarks care: Zipfian words in topic clusters, one
 * title in five in Chinese, skewed popularity, heavy-tailed users, an optional crawler.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Write synthetic items.csv, interactions.csv (and embeddings.arrow) into --out.")
public class GenerateCommand implements Runnable {
    /** Every timestamp lies before this instant: the interactions cover the year before it. */
    public static final Instant EPOCH = Instant.parse("2025-01-01T00:00:00Z");
    /** Made-up words in the vocabulary. */
    static final int VOCABULARY_SIZE = 40_000;

    @Option(names = "--items", required = true, description = "Number of items.")
    int items;

    @Option(names = "--users", description = "Number of users (default: items / 2).")
    Integer users;

    @Option(names = "--events", description = "Number of interactions (default: 20 x items).")
    Long events;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--crawler-share", defaultValue = "0",
            description = "Share of all events made by one crawler-like user, in [0, 1) (default: ${DEFAULT-VALUE}).")
    double crawlerShare;

    @Option(names = "--embeddings-dim", description = "Also write embeddings.arrow with vectors of this dimension.")
    Integer embeddingsDim;

    @Option(names = "--out", required = true, description = "Directory to write into (created if missing).")
    Path out;

    @Override
    public void run() {
        int userCount = users != null ? users : Math.max(1, items / 2);
        long eventCount = events != null ? events : 20L * items;
        long crawlerEvents = Math.round(crawlerShare * eventCount);
        validate(userCount, eventCount, crawlerEvents);
        createDirectory();
        PrintWriter print = Console.out();
        long started = System.nanoTime();

        Vocabulary vocabulary = new Vocabulary(VOCABULARY_SIZE, Draws.stream(seed, Draws.Purpose.VOCABULARY, 0));
        Topics topics = new Topics(Topics.countFor(items), vocabulary, Draws.stream(seed, Draws.Purpose.TOPICS, 0));
        long epoch = EPOCH.getEpochSecond();

        Path itemsFile = out.resolve(ItemsGenerator.FILE);
        ItemCatalog catalog = new ItemsGenerator(topics, seed, epoch).write(itemsFile, items);
        print.printf(Locale.ROOT, "wrote %s: %d items in %d topics, %.1f%% Chinese titles, %s%n", itemsFile, items,
                topics.count(), 100.0 * catalog.chineseTitles() / items, size(itemsFile));

        Path interactionsFile = out.resolve(InteractionsGenerator.FILE);
        InteractionsGenerator.Written written = new InteractionsGenerator(catalog, topics.count(), seed, epoch)
                .write(interactionsFile, userCount, eventCount, crawlerEvents);
        print.printf(Locale.ROOT, "wrote %s: %d events by %d users (%s)%s, %s%n", interactionsFile, written.events(),
                written.users(), eventMix(written), crawler(written), size(interactionsFile));

        if (embeddingsDim != null) {
            Path embeddingsFile = out.resolve(EmbeddingsGenerator.FILE);
            try (BufferAllocator allocator = new RootAllocator()) {
                new EmbeddingsGenerator(catalog, embeddingsDim, seed).write(embeddingsFile, topics.count(), allocator);
            }
            print.printf(Locale.ROOT, "wrote %s: %d vectors of dimension %d, %s%n", embeddingsFile, items, embeddingsDim,
                    size(embeddingsFile));
        }
        print.printf(Locale.ROOT, "seed %d, timestamps before %s, %.1f s%n", seed, EPOCH, (System.nanoTime() - started) / 1e9);
        print.flush();
    }

    private void validate(int userCount, long eventCount, long crawlerEvents) {
        if (items < 1) {
            throw StageException.usage("--items must be at least 1, got " + items);
        }
        if (userCount < 1) {
            throw StageException.usage("--users must be at least 1, got " + userCount);
        }
        if (!(crawlerShare >= 0 && crawlerShare < 1)) {
            throw StageException.usage("--crawler-share must be in [0, 1), got " + crawlerShare);
        }
        if (eventCount - crawlerEvents < userCount) {
            throw StageException.usage("--events " + eventCount + " leaves " + (eventCount - crawlerEvents)
                    + " events besides the crawler for " + userCount + " users: every user needs at least one");
        }
        if (embeddingsDim != null && (embeddingsDim < 1 || embeddingsDim > 65_536)) {
            throw StageException.usage("--embeddings-dim must be in [1, 65536], got " + embeddingsDim);
        }
    }

    private void createDirectory() {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw StageException.usage("cannot create the output directory " + out + ": " + e);
        }
    }

    private static String eventMix(InteractionsGenerator.Written written) {
        StringBuilder text = new StringBuilder();
        for (int t = 0; t < InteractionsGenerator.EVENT_TYPES.length; t++) {
            text.append(t == 0 ? "" : ", ").append(InteractionsGenerator.EVENT_TYPES[t]).append(' ')
                    .append(String.format(Locale.ROOT, "%.1f%%", 100.0 * written.eventTypeCounts()[t] / written.events()));
        }
        return text.toString();
    }

    private static String crawler(InteractionsGenerator.Written written) {
        if (written.crawlerId() == null) {
            return "";
        }
        return String.format(Locale.ROOT, ", crawler %s with %d events (%.1f%%)", written.crawlerId(),
                written.crawlerEvents(), 100.0 * written.crawlerEvents() / written.events());
    }

    private static String size(Path file) {
        try {
            return ByteSize.mb(Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
