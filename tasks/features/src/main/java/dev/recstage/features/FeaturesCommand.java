package dev.recstage.features;

import dev.recstage.core.cli.StageException;
import dev.recstage.core.features.FeaturesInput;
import dev.recstage.core.memory.MemoryLog;
import dev.recstage.core.memory.MemoryPlan;
import dev.recstage.core.progress.Progress;
import dev.recstage.core.stage.StageRun;
import dev.recstage.features.ItemCatalog.Catalog;
import dev.recstage.features.InteractionsLoader.Loaded;
import dev.recstage.features.input.RecordSource;
import dev.recstage.features.input.TextSize;
import dev.recstage.features.input.Timestamps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code features}: raw items and interactions (CSV, CSV.gz, JSON Lines) to typed, narrowed Arrow tables. */
@Command(name = "features", mixinStandardHelpOptions = true,
        description = "Raw items and interactions (CSV, CSV.gz or JSON Lines) to typed, narrowed Arrow tables.")
public class FeaturesCommand implements Runnable {
    @Option(names = "--items", required = true, description = "Items file: item_id, title, description, tags, category, create_time.")
    Path items;

    @Option(names = "--interactions", required = true, description = "Interactions file: user_id, item_id, event_type, create_time [, weight].")
    Path interactions;

    @Option(names = "--embeddings", description = "Optional Arrow IPC file: item_id utf8, embedding list<float>.")
    Path embeddings;

    @Option(names = "--out", required = true, description = "Output directory (replaced atomically).")
    Path out;

    @Option(names = "--items-map", paramLabel = "COL=SOURCE", description = "Read COL from the items file's column SOURCE, e.g. item_id=movieId.")
    List<String> itemsMap;

    @Option(names = "--interactions-map", paramLabel = "COL=SOURCE", description = "Read COL from the interactions file's column SOURCE, e.g. weight=rating.")
    List<String> interactionsMap;

    @Option(names = "--tag-separator", defaultValue = "|", description = "Separator of tags in the items file (default: ${DEFAULT-VALUE}).")
    String tagSeparator;

    @Option(names = "--since", paramLabel = "TIME", description = "Keep interactions at or after TIME (ISO-8601 or epoch).")
    String since;

    @Option(names = "--as-of", paramLabel = "TIME", description = "Reference time of the 7/30-day counts (default: the latest interaction).")
    String asOf;

    @Option(names = "--max-reject-ratio", defaultValue = "0.01", description = "Largest share of rejected rows per file (default: ${DEFAULT-VALUE}).")
    double maxRejectRatio;

    @Override
    public void run() {
        if (!(maxRejectRatio >= 0 && maxRejectRatio <= 1)) {
            throw StageException.usage("--max-reject-ratio must be between 0 and 1, got " + maxRejectRatio);
        }
        if (tagSeparator.isEmpty()) {
            throw StageException.usage("--tag-separator must not be empty");
        }
        Map<String, String> itemColumns = ColumnMappings.parse("--items-map", itemsMap, ItemCatalog.COLUMNS);
        Map<String, String> interactionColumns = ColumnMappings.parse("--interactions-map", interactionsMap, InteractionsLoader.COLUMNS);
        OptionalLong sinceSeconds = since == null ? OptionalLong.empty() : OptionalLong.of(Timestamps.parseOption("--since", since).getEpochSecond());
        Instant asOfOption = asOf == null ? null : Timestamps.parseOption("--as-of", asOf);
        requireFile(items, "--items");
        requireFile(interactions, "--interactions");
        if (embeddings != null) {
            requireFile(embeddings, "--embeddings");
        }

        try (StageRun run = StageRun.start(FeaturesInput.STAGE, out);
             RejectLog rejects = new RejectLog(run.outputFile(RejectLog.FILE_NAME))) {
            record(run, itemColumns, interactionColumns);
            int dimension = embeddings == null ? 0 : EmbeddingsImport.plannedDimension(embeddings, run.allocator());
            TextSize interactionSize = run.step("measure the inputs (disk plan)", () -> {
                TextSize measured = TextSize.of(interactions);
                run.requireDisk(FeaturesDiskPlan.of(TextSize.of(this.items), measured, dimension, maxRejectRatio));
                return measured;
            });
            ItemCatalog items = new ItemCatalog(
                    () -> RecordSource.open(this.items, ItemCatalog.COLUMNS, itemColumns, "--items-map"),
                    run.outputFile(ItemSpill.FILE_NAME), tagSeparator, rejects);
            Catalog catalog = run.step("items", items::choose);
            run.recordScratch(ItemSpill.FILE_NAME);
            String itemsName = this.items.getFileName().toString();
            run.manifest().counts.put(itemsName, rejects.counts(itemsName, catalog.rowsRead(), catalog.size()));
            rejects.requireRatio(itemsName, catalog.rowsRead(), maxRejectRatio);
            if (catalog.size() == 0) {
                throw StageException.input(this.items + ": no usable item (every row was rejected; see " + RejectLog.FILE_NAME + ")");
            }
            requireFits(run, "before reading the interactions", FeaturesMemoryPlan.beforeInteractions(catalog, interactionSize.lines()));
            if (embeddings != null) {
                // Checked now, not after the interactions: the vectors come once the table is let go.
                requireFits(run, "for the embeddings (after the interactions)", FeaturesMemoryPlan.forEmbeddings(catalog, dimension));
            }
            // The item texts are written while the interactions are read: the second pass needs
            // nothing from them, and the two together are what takes this stage's time.
            Loaded loaded;
            ItemCatalog.Written written;
            try (BackgroundTask<ItemCatalog.Written> itemsWritten = new BackgroundTask<>(
                    () -> items.write(catalog, run.outputFile(FeaturesInput.ITEMS_FILE), run.allocator()))) {
                loaded = run.step("interactions (items.arrow written alongside)", () -> {
                    try (RecordSource source = RecordSource.open(interactions, InteractionsLoader.COLUMNS, interactionColumns, "--interactions-map")) {
                        Progress progress = new Progress("Reading " + source.fileName(), "rows", 0, run.log()::info);
                        return new InteractionsLoader(rejects, catalog.index(), sinceSeconds).load(source, progress);
                    }
                });
                written = itemsWritten.join();
            }
            run.recordOutput(FeaturesInput.ITEMS_FILE, (long) catalog.size());
            run.log().info(MemoryLog.optimization(written.wideBytes(), written.narrowBytes()));
            String interactionsName = interactions.getFileName().toString();
            rejects.requireRatio(interactionsName, loaded.rowsRead(), maxRejectRatio);
            writeInteractions(run, catalog, loaded, asOfOption);
            run.manifest().counts.put(interactionsName, rejects.counts(interactionsName, loaded.rowsRead(), run.manifest().output(FeaturesInput.INTERACTIONS_FILE).rows()));

            // The interaction columns and the users' ids are the largest structures of the stage, and
            // the embeddings (the item ids' index besides) need none of them.
            run.release(() -> {
                loaded.table().clear();
                loaded.users().clear();
            });
            if (embeddings != null) {
                EmbeddingsImport.Result vectors = run.step("embeddings", () -> EmbeddingsImport.run(
                        embeddings, run.outputFile(FeaturesInput.EMBEDDINGS_FILE), catalog.index(), rejects, run.allocator()));
                String name = embeddings.getFileName().toString();
                rejects.requireRatio(name, vectors.rowsRead(), maxRejectRatio);
                run.manifest().counts.put(name, rejects.counts(name, vectors.rowsRead(), vectors.kept()));
                run.manifest().stats.put("embedding_dimension", vectors.dimension());
                run.manifest().stats.put("items_without_embedding", vectors.itemsWithoutVector());
                run.recordOutput(FeaturesInput.EMBEDDINGS_FILE, (long) catalog.size());
            }
            run.release(() -> catalog.index().clear());
            rejects.close();
            run.recordOutput(RejectLog.FILE_NAME, rejects.rows());
            run.commit();
        }
    }

    private void writeInteractions(StageRun run, Catalog catalog, Loaded loaded, Instant asOfOption) {
        InteractionTable table = loaded.table();
        requireFits(run, "before sorting the interactions", FeaturesMemoryPlan.beforeSort(catalog, table, loaded.users()));
        int[] order = run.step("sort and deduplicate", () -> table.sortedUniqueOrder(loaded.users().size()));
        long latest = Long.MIN_VALUE;
        for (int r : order) {
            latest = Math.max(latest, table.time(r));
        }
        if (order.length == 0 && asOfOption == null) {
            throw StageException.input(interactions + ": no usable interaction (see " + RejectLog.FILE_NAME + "); give --as-of to build features without any");
        }
        long asOfSeconds = asOfOption != null ? asOfOption.getEpochSecond() : latest;
        run.manifest().stats.put(FeaturesInput.AS_OF, Instant.ofEpochSecond(asOfSeconds).toString());
        run.manifest().stats.put("duplicate_interactions_removed", (long) table.size() - order.length);
        run.manifest().stats.put("interactions_before_since", loaded.beforeSince());
        run.manifest().stats.put("identical_item_rows_merged", catalog.identicalDuplicates());
        run.manifest().stats.put("event_types", List.copyOf(loaded.events().keySet()));
        run.manifest().stats.put("weight_source", loaded.weightColumn() ? "column" : "constant 1.0");

        run.step("write interactions", () -> {
            // The three files only read the table: item_features.arrow is counted and written
            // beside the other two.
            try (BackgroundTask<Long> features = new BackgroundTask<>(() -> ItemFeaturesWriter.write(
                    run.outputFile(FeaturesInput.ITEM_FEATURES_FILE), table, order, loaded.events(), catalog.createTime(), asOfSeconds, run.allocator()))) {
                long users = InteractionWriter.writeUsers(run.outputFile(FeaturesInput.USERS_FILE), loaded.users(), run.allocator());
                run.recordOutput(FeaturesInput.USERS_FILE, users);
                long rows = InteractionWriter.writeInteractions(run.outputFile(FeaturesInput.INTERACTIONS_FILE), table, order, loaded.events(), run.allocator());
                run.recordOutput(FeaturesInput.INTERACTIONS_FILE, rows);
                run.recordOutput(FeaturesInput.ITEM_FEATURES_FILE, features.join());
            }
        });
        long narrow = run.manifest().output(FeaturesInput.INTERACTIONS_FILE).bytes() + run.manifest().output(FeaturesInput.USERS_FILE).bytes();
        run.log().info(MemoryLog.optimization(loaded.wideBytes(), narrow));
    }

    private static void requireFits(StageRun run, String when, MemoryPlan plan) {
        run.log().infof("Memory plan %s: %s", when, plan.describe(run.budget()));
        plan.requireFits(run.budget(), FeaturesMemoryPlan.ADVICE);
    }

    private void record(StageRun run, Map<String, String> itemColumns, Map<String, String> interactionColumns) {
        run.recordInput(items);
        run.recordInput(interactions);
        if (embeddings != null) {
            run.recordInput(embeddings);
        }
        Map<String, String> config = run.manifest().config;
        itemColumns.forEach((column, source) -> config.put("items_map." + column, source));
        interactionColumns.forEach((column, source) -> config.put("interactions_map." + column, source));
        config.put("tag_separator", tagSeparator);
        config.put("max_reject_ratio", Double.toString(maxRejectRatio));
        if (since != null) {
            config.put("since", since);
        }
        if (asOf != null) {
            config.put("as_of", asOf);
        }
    }

    private static void requireFile(Path file, String option) {
        if (!Files.isRegularFile(file)) {
            throw StageException.input(option + " " + file + ": no such file");
        }
    }
}
