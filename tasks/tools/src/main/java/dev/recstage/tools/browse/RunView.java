package dev.recstage.tools.browse;

import dev.recstage.core.arrow.Schemas;
import dev.recstage.core.arrow.TableReader;
import dev.recstage.tools.arrow.Cells;
import dev.recstage.tools.run.Catalogue;
import dev.recstage.tools.run.KeyedRows;
import dev.recstage.tools.run.RunLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * What the pages show of one run, read on demand: the catalogue in memory (ids, titles, tags), every
 * other file through {@link KeyedRows} lookups. Missing stages leave their lists out.
 */
final class RunView implements AutoCloseable {
    /** A user's events, the latest last, and how many they have in all. */
    record History(List<Map<String, Object>> events, int[] items, long total) {
    }

    record UserMatch(int user, String id) {
    }

    private final RunLayout layout;
    private final BufferAllocator allocator;
    private final Catalogue catalogue;
    private final KeyedRows items;
    private final Optional<KeyedRows> itemFeatures;
    private final List<ItemList> itemLists = new ArrayList<>();
    private final Optional<KeyedRows> interactions;
    private final Optional<ItemList> recommendations;
    private final int users;

    RunView(RunLayout layout, BufferAllocator allocator) {
        this.layout = layout;
        this.allocator = allocator;
        Path features = layout.features();
        this.catalogue = Catalogue.read(features.resolve("items.arrow"), allocator);
        this.items = KeyedRows.open(features.resolve("items.arrow"), "item", allocator);
        this.itemFeatures = optional(features.resolve("item_features.arrow"), "item");
        this.interactions = optional(features.resolve("interactions.arrow"), "user");
        this.users = countUsers(features.resolve("users.arrow"));
        addList("Content", layout.content(), "content_neighbors.arrow");
        addList("Vectors", layout.content(), "vector_neighbors.arrow");
        addList("Behaviour", layout.behavior(), "behavior_neighbors.arrow");
        addList("Related", layout.recommend(), "related_items.arrow");
        this.recommendations = RunLayout.file(layout.recommend(), "user_recommendations.arrow")
                .map(file -> ItemList.open("Recommendations", file, "user_id", users, "item_id", catalogue, allocator));
    }

    private void addList(String label, Optional<Path> stage, String name) {
        RunLayout.file(stage, name).ifPresent(file -> itemLists.add(
                ItemList.open(label, file, "item_id", catalogue.size(), "neighbor_id", catalogue, allocator)));
    }

    private Optional<KeyedRows> optional(Path file, String key) {
        return Files.isRegularFile(file) ? Optional.of(KeyedRows.open(file, key, allocator)) : Optional.empty();
    }

    Path root() {
        return layout.root();
    }

    Catalogue catalogue() {
        return catalogue;
    }

    List<ItemList> itemLists() {
        return itemLists;
    }

    Optional<ItemList> recommendations() {
        return recommendations;
    }

    int users() {
        return users;
    }

    /** Every column of the item's row in items.arrow, then those of item_features.arrow, decoded. */
    Map<String, Object> details(int item) {
        Map<String, Object> columns = new LinkedHashMap<>();
        collect(items, item, columns);
        itemFeatures.ifPresent(file -> collect(file, item, columns));
        columns.remove("item");
        return columns;
    }

    private static void collect(KeyedRows file, int key, Map<String, Object> columns) {
        file.visit(key, (batch, row, dictionaries) -> {
            for (FieldVector column : batch.getFieldVectors()) {
                columns.put(column.getName(), Cells.value(column, row, dictionaries));
            }
        });
    }

    /** The user's latest {@code limit} events (item, event, weight, ts), oldest first. */
    History history(int user, int limit) {
        if (interactions.isEmpty()) {
            return new History(List.of(), new int[0], 0);
        }
        Deque<Map<String, Object>> latest = new ArrayDeque<>();
        Deque<Integer> latestItems = new ArrayDeque<>();
        long total = interactions.get().visit(user, (batch, row, dictionaries) -> {
            Map<String, Object> event = new LinkedHashMap<>();
            for (FieldVector column : batch.getFieldVectors()) {
                if (!column.getName().equals("user") && !column.getName().equals("item")) {
                    event.put(column.getName(), Cells.value(column, row, dictionaries));
                }
            }
            latest.addLast(event);
            latestItems.addLast((int) ((BaseIntVector) batch.getVector("item")).getValueAsLong(row));
            if (latest.size() > limit) {
                latest.removeFirst();
                latestItems.removeFirst();
            }
        });
        return new History(new ArrayList<>(latest), latestItems.stream().mapToInt(Integer::intValue).toArray(), total);
    }

    /**
     * Users whose id contains {@code query}, the exact id first, at most {@code limit}: one pass over
     * users.arrow, which is read for each search rather than held (ids are not shown in bulk).
     */
    List<UserMatch> findUsers(String query, int limit) {
        String needle = query.strip();
        List<UserMatch> exact = new ArrayList<>();
        List<UserMatch> others = new ArrayList<>();
        Path file = layout.features().resolve("users.arrow");
        if (needle.isEmpty() || !Files.isRegularFile(file)) {
            return List.of();
        }
        try (TableReader reader = TableReader.open(file, Schemas.USERS, allocator)) {
            VectorSchemaRoot root = reader.root();
            while (reader.next() && exact.isEmpty()) {
                IntVector user = (IntVector) root.getVector("user");
                VarCharVector id = (VarCharVector) root.getVector("user_id");
                for (int r = 0; r < root.getRowCount(); r++) {
                    String value = id.getObject(r).toString();
                    if (value.equals(needle)) {
                        exact.add(new UserMatch(user.get(r), value));
                    } else if (others.size() < limit && value.contains(needle)) {
                        others.add(new UserMatch(user.get(r), value));
                    }
                }
            }
        }
        exact.addAll(others);
        return exact.subList(0, Math.min(limit, exact.size()));
    }

    private int countUsers(Path file) {
        if (!Files.isRegularFile(file)) {
            return 0;
        }
        try (TableReader reader = TableReader.open(file, Schemas.USERS, allocator)) {
            int rows = 0;
            while (reader.next()) {
                rows += reader.root().getRowCount();
            }
            return rows;
        }
    }

    @Override
    public void close() {
        itemLists.forEach(ItemList::close);
        recommendations.ifPresent(ItemList::close);
        items.close();
        itemFeatures.ifPresent(KeyedRows::close);
        interactions.ifPresent(KeyedRows::close);
    }
}
