package dev.recstage.recommend;

import dev.recstage.core.features.FeaturesInput;
import dev.recstage.core.history.EventWeighting;
import dev.recstage.core.history.EventWeights;
import dev.recstage.core.history.HistoryScan;
import dev.recstage.core.history.WeightSource;
import dev.recstage.core.io.DiskPlan;
import dev.recstage.core.io.Manifest;
import dev.recstage.core.memory.ByteSize;
import dev.recstage.core.memory.MemoryPlan;
import dev.recstage.core.progress.Progress;
import dev.recstage.core.stage.StageRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.arrow.vector.VarCharVector;

/**
 * One run of the recommend stage on an open {@link StageRun}: memory plan, the two neighbour lists
 * scaled and blended into {@code related_items.arrow}, then the users' histories streamed block by
 * block into {@code user_recommendations.arrow}. The caller commits. Knows nothing of the command
 * line or configuration, so that {@code evaluate} runs the very same code.
 */
public final class RecommendStage {
    public static final String STAGE = "recommend";
    public static final String RELATED_FILE = RelatedItemsWriter.FILE;
    public static final String USERS_FILE = UserRecommendationsWriter.FILE;

    private final StageRun run;
    private final RecommendInputs inputs;
    private final RecommendSettings settings;
    private NeighborStorage storage;
    private NeighborLists behavior;
    private NeighborLists content;

    public RecommendStage(StageRun run, RecommendInputs inputs, RecommendSettings settings) {
        this.run = run;
        this.inputs = inputs;
        this.settings = settings;
    }

    /** Computes and writes both outputs into the run's staging directory. */
    public void execute() {
        FeaturesInput features = inputs.features();
        int items = features.itemCount();
        boolean useBehavior = settings.weights().behavior() > 0;
        boolean useContent = settings.weights().content() > 0;
        recordInputs(features, useBehavior, useContent);
        EventWeights weights = WeightSource.effective(settings.history().eventWeights(), features.directory().manifest());
        run.manifest().config.putAll(settings.describe(weights.toString()));

        int longestRow = (useBehavior ? RecommendInputs.longestRow(inputs.behavior(), "BEHAVIOR_SIMILARITY_TOP_K", items) : 0)
                + (useContent ? RecommendInputs.longestRow(inputs.content(), "SIMILARITY_TOP_K", items) : 0);
        planMemoryAndDisk(features, longestRow, useBehavior, useContent);

        behavior = useBehavior ? run.step("read behaviour neighbours", () -> read(inputs.behaviorFiles(), items, inputs.behaviorRows(), "behavior"))
                : NeighborLists.empty(items);
        content = useContent ? run.step("read content neighbours", () -> read(inputs.contentFiles(), items, inputs.contentRows(), "content"))
                : NeighborLists.empty(items);

        try (VarCharVector itemIds = run.step("read item ids", () -> features.itemIds(run.allocator()))) {
            long related = run.step("related items", () -> writeRelated(itemIds, items));
            run.recordOutput(RELATED_FILE, related);
            PopularItems popular = run.step("read popularity", () ->
                    new PopularItems(features.itemCounts(PopularItems.COLUMN, run.allocator()), settings.includeSeen()));
            try (VarCharVector userIds = run.step("read user ids", () -> features.userIds(run.allocator()))) {
                long rows = run.step("recommend for users", () -> writeUsers(features, weights, popular, userIds, itemIds));
                run.recordOutput(USERS_FILE, rows);
            }
        }
        run.release(() -> {
            behavior = null;
            content = null;
        });
    }

    /**
     * Chooses where the neighbour lists go ({@link NeighborStorage}), logs the memory plan and
     * checks it (exit 4), warns when mapped lists cannot stay in memory, then checks the disk.
     */
    private void planMemoryAndDisk(FeaturesInput features, int longestRow, boolean useBehavior, boolean useContent) {
        int items = features.itemCount();
        // The ids as read, not the files' sizes: items.arrow also holds the items' text (24 MB of 25 at 50,000 items).
        FeaturesInput.IdBytes itemIdBytes = features.itemIdBytes(run.allocator());
        FeaturesInput.IdBytes userIdBytes = features.userIdBytes(run.allocator());
        long behaviorRows = useBehavior ? inputs.behaviorRows() : 0;
        long contentRows = useContent ? inputs.contentRows() : 0;
        long idBytes = itemIdBytes.held() + userIdBytes.held();
        Function<NeighborStorage, MemoryPlan> planWith = where -> RecommendMemoryPlan.of(items, behaviorRows, contentRows, longestRow,
                settings, idBytes, where);
        storage = settings.storage().resolve(planWith, run.budget());
        if (settings.storage() == NeighborStorage.AUTO && storage == NeighborStorage.DISK) {
            run.log().infof("The neighbour lists do not fit the heap with everything else (%s); they go to a scratch file, mapped",
                    planWith.apply(NeighborStorage.HEAP).describe(run.budget()));
        }
        MemoryPlan plan = planWith.apply(storage);
        run.log().infof("Memory plan: %s", plan.describe(run.budget()));
        RecommendMemoryPlan.requireFits(plan, run.budget());
        run.manifest().stats.put("neighbor_storage", storage.configName());
        long beyondRoom = plan.mappedBeyondRoom(run.budget());
        if (beyondRoom > 0) {
            run.log().warnf("%s of the mapped neighbour lists cannot stay in memory beside the heap: those pages are read from disk "
                    + "again whenever they are touched, which slows the run (a larger limit, or a smaller heap share, "
                    + "JVM_MAX_RAM_PERCENTAGE, leaves them room)", ByteSize.mb(beyondRoom));
        }
        run.requireDisk(diskPlan(features, itemIdBytes.written(), userIdBytes.written(), behaviorRows, contentRows));
    }

    /**
     * What the run writes: at most RELATED_TOP_N rows per item and USER_TOP_N per user, with the ids
     * ({@code *IdBytes} written) as dictionaries, and the lists' scratch files when they are kept on disk.
     */
    private DiskPlan diskPlan(FeaturesInput features, long itemIdBytes, long userIdBytes, long behaviorRows, long contentRows) {
        int items = features.itemCount();
        DiskPlan plan = new DiskPlan()
                .file(RELATED_FILE, RelatedItemsWriter.estimatedBytes(items, settings.relatedTopN(), itemIdBytes))
                .file(USERS_FILE, UserRecommendationsWriter.estimatedBytes(features.userCount(), items, settings.userTopN(), userIdBytes, itemIdBytes));
        if (storage == NeighborStorage.DISK) {
            plan.file(scratchFile("behavior"), MappedNeighborLists.fileBytes(behaviorRows))
                    .file(scratchFile("content"), MappedNeighborLists.fileBytes(contentRows));
        }
        return plan;
    }

    /** The scratch file of one source's mapped lists in the staging directory: it goes with the directory if the run fails. */
    private static String scratchFile(String source) {
        return "." + source + ".lists";
    }

    private void recordInputs(FeaturesInput features, boolean useBehavior, boolean useContent) {
        for (String file : new String[] {FeaturesInput.ITEMS_FILE, FeaturesInput.USERS_FILE, FeaturesInput.INTERACTIONS_FILE,
                FeaturesInput.ITEM_FEATURES_FILE}) {
            run.recordInput(features.directory().file(file));
        }
        if (useBehavior) {
            inputs.behaviorFiles().forEach(run::recordInput);
        }
        if (useContent) {
            inputs.contentFiles().forEach(run::recordInput);
        }
        run.recordInputRun(features.directory());
        // One run id per stage: a sharded output's first shard stands for the set (all read the same features run).
        run.recordInputRun(inputs.content().parts().get(0));
        run.recordInputRun(inputs.behavior().parts().get(0));
    }

    private NeighborLists read(List<Path> files, int items, long rows, String source) {
        NeighborListsReader.Result result = storage == NeighborStorage.DISK ? readMapped(files, items, rows, source)
                : NeighborListsReader.read(files, items, rows, run.allocator());
        run.manifest().stats.put(source + "_neighbors", result.lists().entries());
        run.manifest().stats.put(source + "_neighbors_not_positive", result.notPositive());
        if (result.notPositive() > 0) {
            run.log().infof("%s: %d neighbours with a score not above 0 left out (they cannot be scaled)", files, result.notPositive());
        }
        return result.lists();
    }

    /** Into a scratch file that is mapped, recorded and deleted (the mapping outlives the file's name). */
    private NeighborListsReader.Result readMapped(List<Path> files, int items, long rows, String source) {
        String name = scratchFile(source);
        Path scratch = run.outputFile(name);
        NeighborListsReader.Result result = NeighborListsReader.read(files, items, rows, run.allocator(),
                new MappedNeighborLists.Builder(scratch, rows));
        run.recordScratch(name);
        try {
            Files.delete(scratch);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the scratch file " + scratch, e);
        }
        return result;
    }

    private long writeRelated(VarCharVector itemIds, int items) {
        int topN = settings.relatedTopN();
        RelatedItems related = new RelatedItems(new BlendedRow(behavior, content, settings.weights(),
                BlendedRow.capacity(behavior, content)), topN);
        int[] neighbors = new int[topN];
        float[] scores = new float[topN];
        byte[] sources = new byte[topN];
        long[] bySource = new long[BlendedRow.SOURCE_NAMES.length];
        long itemsWithout = 0;
        try (RelatedItemsWriter writer = RelatedItemsWriter.open(run.outputFile(RELATED_FILE), itemIds, run.allocator())) {
            for (int i = 0; i < items; i++) {
                int count = related.listFor(i, neighbors, scores, sources);
                itemsWithout += count == 0 ? 1 : 0;
                for (int r = 0; r < count; r++) {
                    bySource[sources[r]]++;
                }
                writer.accept(i, neighbors, scores, sources, count);
            }
            run.manifest().stats.put("items_without_related", itemsWithout);
            Map<String, Long> sourceCounts = new LinkedHashMap<>();
            for (int s = 0; s < bySource.length; s++) {
                sourceCounts.put(BlendedRow.SOURCE_NAMES[s], bySource[s]);
            }
            run.manifest().stats.put("related_by_source", sourceCounts);
            return writer.rows();
        }
    }

    private long writeUsers(FeaturesInput features, EventWeights weights, PopularItems popular, VarCharVector userIds,
                            VarCharVector itemIds) {
        EventWeighting weighting = EventWeighting.of(weights, settings.history().halfLifeDays(), features, run.allocator());
        HistoryScan scan = new HistoryScan(features, run.allocator(), weighting, settings.history().maxItemsPerUser(),
                settings.history().aggregation());
        Progress progress = new Progress("Recommending", "users", scan.userCount(), run.log()::info);
        try (UserRecommendationsWriter writer = UserRecommendationsWriter.open(run.outputFile(USERS_FILE), userIds, itemIds, run.allocator());
             UserRecommender users = new UserRecommender(behavior, content, settings.weights(), popular, settings.userTopN(),
                     settings.includeSeen(), settings.threads(), settings.batchUsers(), settings.history().maxItemsPerUser(),
                     writer, progress::update)) {
            HistoryScan.Stats stats = scan.run(users::add);
            users.finish();
            recordHistory(stats, users);
            return writer.rows();
        }
    }

    private void recordHistory(HistoryScan.Stats history, UserRecommender users) {
        Map<String, Long> rejected = new LinkedHashMap<>();
        rejected.put("weight_not_positive", history.eventsIgnored());
        rejected.put("history_cap", history.eventsDropped());
        run.manifest().counts.put("interactions", new Manifest.RowCounts(history.eventsRead(), history.eventsKept(), rejected));
        run.manifest().stats.put("users_capped", history.usersCapped());
        run.manifest().stats.put("users_from_history", users.usersFromHistory());
        run.manifest().stats.put("users_from_popularity", users.usersFromPopularity());
        run.log().infof("Users: %d recommended from their history, %d given the recent-popularity list (no usable history)",
                users.usersFromHistory(), users.usersFromPopularity());
    }
}
