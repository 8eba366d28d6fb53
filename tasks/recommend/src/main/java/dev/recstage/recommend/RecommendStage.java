package dev.recstage.recommend;

import dev.recstage.core.features.FeaturesInput;
import dev.recstage.core.history.EventWeighting;
import dev.recstage.core.history.EventWeights;
import dev.recstage.core.history.HistoryScan;
import dev.recstage.core.history.WeightSource;
import dev.recstage.core.io.DiskPlan;
import dev.recstage.core.io.Manifest;
import dev.recstage.core.progress.Progress;
import dev.recstage.core.stage.StageRun;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.VarCharVector;

/**
 * One run of the recommend stage on an open {@link StageRun}: memory plan, the two neighbour lists
 * scaled and blended into {@code related_items.arrow}, then the users' histories streamed block by
 * block into {@code user_recommendations.arrow}. When the lists do not fit the heap at once they are
 * read in passes over neighbour ranges ({@link PassPlanner}), each pass's lists merged into every
 * item's and user's running top N, and the last pass writes: the same bytes as one pass. The caller
 * commits. Knows nothing of the command line or configuration, so that {@code evaluate} runs the
 * very same code.
 */
public final class RecommendStage {
    public static final String STAGE = "recommend";
    public static final String RELATED_FILE = RelatedItemsWriter.FILE;
    public static final String USERS_FILE = UserRecommendationsWriter.FILE;

    private final StageRun run;
    private final RecommendInputs inputs;
    private final RecommendSettings settings;
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
        // The ids as read, not the files' sizes: items.arrow also holds the items' text (24 MB of 25 at 50,000 items).
        FeaturesInput.IdBytes itemIdBytes = features.itemIdBytes(run.allocator());
        FeaturesInput.IdBytes userIdBytes = features.userIdBytes(run.allocator());
        List<NeighborPass> passes = new PassPlanner(run, inputs, settings).plan(useBehavior ? inputs.behaviorRows() : 0,
                useContent ? inputs.contentRows() : 0, longestRow, itemIdBytes.held() + userIdBytes.held());
        run.manifest().stats.put("passes", passes.size());
        run.requireDisk(diskPlan(features, itemIdBytes.written(), userIdBytes.written()));

        // Read once for every pass: the event codes' weights (a read of the interactions' dictionary) and the as-of time.
        EventWeighting weighting = EventWeighting.of(weights, settings.history().halfLifeDays(), features, run.allocator());
        boolean inPasses = passes.size() > 1;
        RunningTopN relatedSoFar = inPasses ? new RunningTopN(items, settings.relatedTopN()) : null;
        RunningTopN usersSoFar = inPasses ? new RunningTopN(features.userCount(), settings.userTopN()) : null;
        try (VarCharVector itemIds = run.step("read item ids", () -> features.itemIds(run.allocator()));
             VarCharVector userIds = run.step("read user ids", () -> features.userIds(run.allocator()))) {
            PopularItems popular = run.step("read popularity", () ->
                    new PopularItems(features.itemCounts(PopularItems.COLUMN, run.allocator()), settings.includeSeen()));
            for (int p = 0; p < passes.size(); p++) {
                NeighborPass pass = passes.get(p);
                String label = inPasses ? " (pass " + (p + 1) + " of " + passes.size() + ", neighbours " + pass.range().from()
                        + " to " + pass.range().to() + ")" : "";
                boolean first = p == 0;
                behavior = null; // the previous pass's lists go before this pass's are read
                content = null;
                behavior = useBehavior ? run.step("read behaviour neighbours" + label, () -> read(inputs.behaviorFiles(), items,
                        inputs.behaviorRows(), pass.range(), pass.behaviorEntries(), "behavior", first)) : NeighborLists.empty(items);
                content = useContent ? run.step("read content neighbours" + label, () -> read(inputs.contentFiles(), items,
                        inputs.contentRows(), pass.range(), pass.contentEntries(), "content", first)) : NeighborLists.empty(items);
                if (p + 1 < passes.size()) {
                    run.step("related items" + label, () -> relatedPass(relatedSoFar, null));
                    run.step("recommend for users" + label, () -> usersPass(features, weighting, popular, usersSoFar, null));
                } else {
                    long related;
                    try (RelatedItemsWriter writer = RelatedItemsWriter.open(run.outputFile(RELATED_FILE), itemIds, run.allocator())) {
                        run.step("related items" + label, () -> relatedPass(relatedSoFar, writer));
                        related = writer.rows();
                    }
                    run.recordOutput(RELATED_FILE, related); // after closing: its size is read now
                    long recommended;
                    try (UserRecommendationsWriter writer = UserRecommendationsWriter.open(run.outputFile(USERS_FILE), userIds, itemIds,
                            run.allocator())) {
                        run.step("recommend for users" + label, () -> usersPass(features, weighting, popular, usersSoFar, writer));
                        recommended = writer.rows();
                    }
                    run.recordOutput(USERS_FILE, recommended);
                }
            }
        }
        run.release(() -> {
            behavior = null;
            content = null;
        });
    }

    /** What the run writes: at most RELATED_TOP_N rows per item and USER_TOP_N per user, with the ids ({@code *IdBytes} written) as dictionaries. */
    private DiskPlan diskPlan(FeaturesInput features, long itemIdBytes, long userIdBytes) {
        int items = features.itemCount();
        return new DiskPlan()
                .file(RELATED_FILE, RelatedItemsWriter.estimatedBytes(items, settings.relatedTopN(), itemIdBytes))
                .file(USERS_FILE, UserRecommendationsWriter.estimatedBytes(features.userCount(), items, settings.userTopN(), userIdBytes, itemIdBytes));
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

    /**
     * One pass's lists of a source; the manifest counts every pass's entries, and the scores not
     * above 0 (every pass sees the same) once.
     */
    private NeighborLists read(List<Path> files, int items, long rows, NeighborRange range, long entries, String source, boolean first) {
        NeighborListsReader.Result result = NeighborListsReader.read(files, items, rows, run.allocator(), range, Math.toIntExact(entries));
        run.manifest().stats.merge(source + "_neighbors", result.lists().entries(), (a, b) -> (Long) a + (Long) b);
        if (first) {
            run.manifest().stats.put(source + "_neighbors_not_positive", result.notPositive());
            if (result.notPositive() > 0) {
                run.log().infof("%s: %d neighbours with a score not above 0 left out (they cannot be scaled)", files, result.notPositive());
            }
        }
        return result.lists();
    }

    /** Every item's related list over this pass's lists ({@link RelatedPass}); written, with its figures, when {@code writer} is given. */
    private void relatedPass(RunningTopN soFar, RelatedItemsWriter writer) {
        long[] bySource = new long[BlendedRow.SOURCE_NAMES.length];
        long[] itemsWithout = {0};
        RelatedListSink counted = writer == null ? null : (item, neighbors, scores, sources, count) -> {
            itemsWithout[0] += count == 0 ? 1 : 0;
            for (int r = 0; r < count; r++) {
                bySource[sources[r]]++;
            }
            writer.accept(item, neighbors, scores, sources, count);
        };
        RelatedPass.run(behavior, content, settings.weights(), settings.relatedTopN(), soFar, counted);
        if (writer != null) {
            run.manifest().stats.put("items_without_related", itemsWithout[0]);
            Map<String, Long> sourceCounts = new LinkedHashMap<>();
            for (int s = 0; s < bySource.length; s++) {
                sourceCounts.put(BlendedRow.SOURCE_NAMES[s], bySource[s]);
            }
            run.manifest().stats.put("related_by_source", sourceCounts);
        }
    }

    /**
     * Every user's list over this pass's lists: merged into {@code soFar} (null: a single pass), and
     * written when {@code writer} is given (the last pass).
     */
    private void usersPass(FeaturesInput features, EventWeighting weighting, PopularItems popular, RunningTopN soFar,
                           UserRecommendationsWriter writer) {
        HistoryScan scan = new HistoryScan(features, run.allocator(), weighting, settings.history().maxItemsPerUser(),
                settings.history().aggregation());
        Progress progress = new Progress("Recommending", "users", scan.userCount(), run.log()::info);
        try (UserRecommender users = new UserRecommender(behavior, content, settings.weights(), popular, settings.userTopN(),
                settings.includeSeen(), settings.threads(), settings.batchUsers(), settings.history().maxItemsPerUser(),
                soFar, writer, progress::update)) {
            HistoryScan.Stats stats = scan.run(users::add);
            users.finish();
            if (writer != null) {
                recordHistory(stats, users);
            }
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
