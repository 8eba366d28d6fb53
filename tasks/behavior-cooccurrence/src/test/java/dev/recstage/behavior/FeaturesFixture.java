package dev.recstage.behavior;

import dev.recstage.core.arrow.Schemas;
import dev.recstage.core.arrow.TableWriter;
import dev.recstage.core.features.FeaturesInput;
import dev.recstage.core.stage.StageRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A features output written the way the features stage writes it (same schemas, manifest with
 * row counts and {@code stats.as_of}), from a list of events, for tests.
 */
final class FeaturesFixture {
    static final List<String> EVENTS = List.of("view", "download", "favorite");

    /** One interaction row. */
    record Event(int user, int item, int event, float weight, long epochSeconds) {
    }

    final int items;
    final int users;
    final List<Event> events;
    final long asOf;

    FeaturesFixture(int items, int users, List<Event> events, long asOf) {
        this(items, users, events.stream()
                .sorted(Comparator.comparingInt(Event::user).thenComparingLong(Event::epochSeconds))
                .toList(), asOf, true);
    }

    private FeaturesFixture(int items, int users, List<Event> events, long asOf, boolean sorted) {
        this.items = items;
        this.users = users;
        this.events = events;
        this.asOf = asOf;
    }

    /** Events written in the given order, even when that breaks the contract (for input-error tests). */
    static FeaturesFixture asGiven(int items, int users, List<Event> events) {
        return new FeaturesFixture(items, users, events, 1_700_000_000L, false);
    }

    /** Random events: a few heavy users, repeated items, equal times, zero and negative row weights. */
    static FeaturesFixture random(long seed, int items, int users, int eventCount) {
        Random random = new Random(seed);
        long asOf = 1_700_000_000L;
        List<Event> events = new ArrayList<>();
        for (int e = 0; e < eventCount; e++) {
            // Squaring skews towards low user indexes: some users get long histories.
            double r = random.nextDouble();
            int user = (int) (r * r * users);
            int item = random.nextInt(items);
            float weight = random.nextInt(10) == 0 ? random.nextInt(3) - 1 : 0.5f + random.nextInt(10) / 2f;
            // Days before as-of, some after it; coarse so that equal times happen.
            long time = asOf - 86_400L * (random.nextInt(40) - 2) / 2;
            events.add(new Event(user, item, random.nextInt(EVENTS.size()), weight, time));
        }
        return new FeaturesFixture(items, users, events, asOf);
    }

    static String itemId(int item) {
        return "item-" + item;
    }

    /** Writes the features output into {@code dir}, interactions in record batches of {@code batchRows}. */
    Path write(Path dir, int batchRows) {
        try (StageRun run = StageRun.start(FeaturesInput.STAGE, dir)) {
            writeItems(run.outputFile(FeaturesInput.ITEMS_FILE), run.allocator());
            run.recordOutput(FeaturesInput.ITEMS_FILE, (long) items);
            writeUsers(run.outputFile(FeaturesInput.USERS_FILE), run.allocator());
            run.recordOutput(FeaturesInput.USERS_FILE, (long) users);
            writeInteractions(run.outputFile(FeaturesInput.INTERACTIONS_FILE), run.allocator(), batchRows);
            run.recordOutput(FeaturesInput.INTERACTIONS_FILE, (long) events.size());
            run.manifest().stats.put(FeaturesInput.AS_OF, Instant.ofEpochSecond(asOf).toString());
            run.commit();
        }
        return dir;
    }

    private void writeItems(Path file, BufferAllocator allocator) {
        try (VarCharVector categories = strings("category", List.of("c"), allocator)) {
            Schema schema = Schemas.items((ArrowType.Int) Schemas.INT8);
            Dictionary dictionary = new Dictionary(categories, schema.findField("category").getDictionary());
            try (TableWriter table = TableWriter.open(file, schema, allocator, dictionary)) {
                IntVector item = table.vector("item", IntVector.class);
                VarCharVector id = table.vector("item_id", VarCharVector.class);
                int pending = 0;
                for (int i = 0; i < items; i++) {
                    item.setSafe(pending, i);
                    id.setSafe(pending, itemId(i).getBytes(StandardCharsets.UTF_8));
                    for (String text : List.of("title", "description", "tags")) {
                        table.vector(text, VarCharVector.class).setNull(pending);
                    }
                    table.vector("category", TinyIntVector.class).setNull(pending);
                    table.vector("create_time", TimeStampVector.class).setNull(pending);
                    if (++pending == TableWriter.BATCH_ROWS) {
                        table.writeBatch(pending);
                        pending = 0;
                    }
                }
                table.writeBatch(pending);
            }
        }
    }

    private void writeUsers(Path file, BufferAllocator allocator) {
        try (TableWriter table = TableWriter.open(file, Schemas.users(), allocator)) {
            for (int u = 0; u < users; u++) {
                table.vector("user", IntVector.class).setSafe(u, u);
                table.vector("user_id", VarCharVector.class).setSafe(u, ("user-" + u).getBytes(StandardCharsets.UTF_8));
            }
            table.writeBatch(users);
        }
    }

    private void writeInteractions(Path file, BufferAllocator allocator, int batchRows) {
        try (VarCharVector names = strings("event", EVENTS, allocator)) {
            Schema schema = Schemas.interactions();
            Dictionary dictionary = new Dictionary(names, schema.findField("event").getDictionary());
            try (TableWriter table = TableWriter.open(file, schema, allocator, dictionary)) {
                int pending = 0;
                for (Event e : events) {
                    table.vector("user", IntVector.class).setSafe(pending, e.user());
                    table.vector("item", IntVector.class).setSafe(pending, e.item());
                    table.vector("event", TinyIntVector.class).setSafe(pending, e.event());
                    table.vector("weight", Float4Vector.class).setSafe(pending, e.weight());
                    table.vector("ts", TimeStampVector.class).setSafe(pending, e.epochSeconds());
                    if (++pending == batchRows) {
                        table.writeBatch(pending);
                        pending = 0;
                    }
                }
                if (pending > 0 || events.isEmpty()) {
                    table.writeBatch(pending);
                }
            }
        }
    }

    private static VarCharVector strings(String name, List<String> values, BufferAllocator allocator) {
        VarCharVector vector = new VarCharVector(name, allocator);
        for (int i = 0; i < values.size(); i++) {
            vector.setSafe(i, values.get(i).getBytes(StandardCharsets.UTF_8));
        }
        vector.setValueCount(values.size());
        return vector;
    }
}
