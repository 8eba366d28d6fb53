package dev.recstage.behavior;

import dev.recstage.core.arrow.NeighborsWriter;
import dev.recstage.core.config.EngineOptions;
import dev.recstage.core.config.Shard;
import dev.recstage.core.engine.BlockListener;
import dev.recstage.core.engine.CsrMatrix;
import dev.recstage.core.engine.DenseReference;
import dev.recstage.core.engine.NeighborSink;
import dev.recstage.core.engine.PairScorer;
import dev.recstage.core.engine.RowRange;
import dev.recstage.core.engine.RunStats;
import dev.recstage.core.engine.TopKEngine;
import dev.recstage.core.features.FeaturesInput;
import dev.recstage.core.history.EventWeighting;
import dev.recstage.core.history.EventWeights;
import dev.recstage.core.history.HistoryScan;
import dev.recstage.core.history.WeightSource;
import dev.recstage.core.io.DiskPlan;
import dev.recstage.core.io.Manifest;
import dev.recstage.core.progress.BatchProgress;
import dev.recstage.core.stage.StageRun;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.arrow.vector.VarCharVector;

/**
 * One run of the behaviour stage on an open {@link StageRun}: items × users matrix from the
 * interactions (two passes, history cap), memory plan, top-K neighbours of the shard's items
 * streamed into {@code behavior_neighbors.arrow}, counts and stats into the manifest.
 */
public final class BehaviorStage {
    public static final String STAGE = "behavior-cooccurrence";
    public static final String OUTPUT_FILE = "behavior_neighbors.arrow";

    private final StageRun run;
    private final FeaturesInput input;
    private final BehaviorSettings settings;
    private final EngineOptions options;
    private final Shard shard;
    /** The items × users matrix as scored (row-normalised for cosine) and its transpose. */
    private CsrMatrix a;
    private CsrMatrix aT;
    private long itemsWithoutNeighbors;

    public BehaviorStage(StageRun run, FeaturesInput input, BehaviorSettings settings, EngineOptions options, Shard shard) {
        this.run = run;
        this.input = input;
        this.settings = settings;
        this.options = options;
        this.shard = shard;
    }

    /** Computes and writes the output into the run's staging directory; the caller commits. */
    public void execute() {
        Path interactions = input.directory().file(FeaturesInput.INTERACTIONS_FILE);
        Path items = input.directory().file(FeaturesInput.ITEMS_FILE);
        run.recordInput(interactions);
        run.recordInput(items);
        run.recordInputRun(input.directory());
        EventWeights weights = WeightSource.effective(settings.eventWeights(), input.directory().manifest());
        run.manifest().config.putAll(settings.describe(weights));
        run.manifest().config.putAll(options.describe());
        run.manifest().config.put("shard", shard.toString());

        InteractionMatrixBuilder builder = new InteractionMatrixBuilder(input, run.allocator(),
                EventWeighting.of(weights, settings.halfLifeDays(), input, run.allocator()), settings.maxItemsPerUser(), settings.aggregation());
        InteractionMatrixBuilder.RowCounts counts = run.step("count interactions per item", builder::count);
        recordHistory(counts);

        RowRange range = shard.rows(builder.itemCount());
        // The ids as read, not bounded by the items file's size: that file also holds the items' text
        // (24 MB of 25 at 50,000 items). Off-heap they take what was allocated, more than they write.
        FeaturesInput.IdBytes idBytes = input.itemIdBytes(run.allocator());
        BehaviorMemoryPlan plan = new BehaviorMemoryPlan(counts, builder.itemCount(), builder.userCount(), settings,
                options, idBytes.held());
        int batch = plan.chooseBatch(options.batchSize(), range.size(), run.budget());
        run.log().infof("Memory plan: %s", plan.withBatch(Math.min(batch, Math.max(range.size(), 1))).describe(run.budget()));
        run.requireDisk(diskPlan(range, builder.itemCount(), idBytes.written()));

        a = run.step("build items × users matrix", () -> scaled(builder.fill(counts)));
        aT = run.step("transpose", () -> a.transpose());
        run.manifest().stats.put("matrix_nnz", a.nnz());
        run.manifest().stats.put("max_users_per_item", a.maxRowNnz());

        long rows = run.step("compute neighbours", () -> writeNeighbors(range, batch));
        run.release(() -> {
            a = null;
            aT = null;
        });
        run.recordOutput(OUTPUT_FILE, rows);
        run.manifest().stats.put("items_in_shard", range.size());
        run.manifest().stats.put("items_without_neighbors", itemsWithoutNeighbors);
        run.manifest().stats.put("neighbor_rows", rows);
    }

    /** At most K neighbours for every item of the shard, with the item ids ({@code idBytes}) as their dictionary. */
    private DiskPlan diskPlan(RowRange range, int items, long idBytes) {
        long rows = (long) range.size() * Math.min(settings.topK(), Math.max(items - 1, 0));
        return new DiskPlan().file(OUTPUT_FILE, NeighborsWriter.estimatedBytes(rows, idBytes));
    }

    /** The matrix the scorer works on; the raw weights are not kept when they are normalised. */
    private CsrMatrix scaled(CsrMatrix weights) {
        return settings.metric().normalizesRows() ? weights.normalizeRows() : weights;
    }

    private void recordHistory(InteractionMatrixBuilder.RowCounts counts) {
        HistoryScan.Stats history = counts.stats();
        long kept = history.eventsKept();
        Map<String, Long> rejected = new LinkedHashMap<>();
        rejected.put("weight_not_positive", history.eventsIgnored());
        rejected.put("history_cap", history.eventsDropped());
        run.manifest().counts.put("interactions", new Manifest.RowCounts(history.eventsRead(), kept, rejected));
        run.manifest().stats.put("users", history.users());
        run.manifest().stats.put("users_capped", history.usersCapped());
        run.manifest().stats.put("events_dropped_by_cap", history.eventsDropped());
        run.manifest().stats.put("events_ignored", history.eventsIgnored());
        run.log().infof("History cap: %d users had more than BEHAVIOR_MAX_ITEMS_PER_USER=%d distinct items; "
                        + "%d of their events dropped (%d of %d events kept, %d with weight <= 0 ignored)",
                history.usersCapped(), settings.maxItemsPerUser(), history.eventsDropped(), kept,
                history.eventsRead(), history.eventsIgnored());
    }

    private long writeNeighbors(RowRange range, int batch) {
        PairScorer scorer = settings.metric().scorer(settings.minCooccurrence());
        int k = settings.topK();
        try (VarCharVector ids = input.itemIds(run.allocator());
             NeighborsWriter writer = NeighborsWriter.open(run.outputFile(OUTPUT_FILE), ids, run.allocator())) {
            NeighborSink sink = (item, neighbors, scores, count) -> {
                itemsWithoutNeighbors += count == 0 ? 1 : 0;
                writer.accept(item, neighbors, scores, count);
            };
            if (options.legacy()) {
                run.log().info("USE_LEGACY_SIMILARITY=1: full N×N reference path");
                DenseReference.run(a, aT, scorer, k, range.from(), range.to(), sink);
            } else {
                runEngine(scorer, range, batch, sink);
            }
            return writer.rows();
        }
    }

    private void runEngine(PairScorer scorer, RowRange range, int batch, NeighborSink sink) {
        int k = settings.topK();
        BlockListener progress = BatchProgress.announce(range.size(), batch, k, run.log()::info);
        TopKEngine engine = new TopKEngine(options.threads(), batch);
        RunStats stats = engine.run(a, aT, scorer, k, range.from(), range.to(), sink, progress);
        run.manifest().stats.put("engine_pruned", stats.pruned());
        run.manifest().stats.put("engine_candidates", stats.candidates());
        run.manifest().stats.put("engine_postings_scanned", stats.postingsScanned());
    }

}
