package dev.recstage.content.incremental;

import dev.recstage.content.ContentSettings;
import dev.recstage.content.tfidf.TfidfModelFile;
import dev.recstage.core.arrow.NeighborsWriter;
import dev.recstage.core.engine.CsrMatrix;
import dev.recstage.core.engine.ExactRows;
import dev.recstage.core.engine.PairScorer;
import dev.recstage.core.stage.StageRun;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VarCharVector;

/**
 * The incremental step of a content-similarity run ({@code --previous}): merges the items changed
 * since a full output into it when it can ({@link PreviousRun#mismatch}, {@link IncrementalMerge}),
 * else runs the full computation; the manifest's {@code stats.incremental} says which and why.
 *
 * <p>Memory: besides the matrix already planned for, the two catalogues' ids and hashes, O(N)
 * flags and thresholds, each thread's scratch ({@link ExactRows#bytesFor}, below the threads·N
 * scratch the full path's plan reserves), the candidate pairs (logged) and the dirty rows' kept
 * top K lists, at most what one thread's scratch takes (1.75% of the rows at K = 200, 16 MB for
 * 10,000 rows).
 */
public final class IncrementalContent {
    private final StageRun run;
    private final ContentSettings settings;
    private final Path modelFile;
    private final String neighborsFile;
    private final String sparesFile;
    private final BufferAllocator allocator;

    public IncrementalContent(StageRun run, ContentSettings settings, Path modelFile, String neighborsFile, String sparesFile) {
        this.run = run;
        this.settings = settings;
        this.modelFile = modelFile;
        this.neighborsFile = neighborsFile;
        this.sparesFile = sparesFile;
        this.allocator = run.allocator();
    }

    /** Says in the log and the manifest why a run given {@code --previous} computes every item's neighbours. */
    public static void notMerged(StageRun run, String reason) {
        run.log().warnf("Incremental: %s; computing every item's neighbours instead", reason);
        @SuppressWarnings("unchecked")
        Map<String, Object> stats = (Map<String, Object>) run.manifest().stats.computeIfAbsent("incremental", key -> new LinkedHashMap<String, Object>());
        stats.put("mode", "full");
        stats.put("reason", reason);
    }

    /** Merges into the output at {@code previousDir} and returns true, or runs {@code fullRun} and returns false. */
    public boolean mergeOrRun(Path previousDir, CsrMatrix text, CsrMatrix textTransposed, VarCharVector itemIds, long[] textHashes,
                           Runnable fullRun) {
        PreviousRun previous = run.step("read previous output " + previousDir, () -> PreviousRun.open(previousDir, run.manifest().stage));
        previous.manifests().forEach(run::recordInput);
        Map<String, Object> stats = new LinkedHashMap<>();
        run.manifest().stats.put("incremental", stats);
        run.manifest().config.put("previous", previousDir.toString());
        String reason = settings.engine().legacy() ? "USE_LEGACY_SIMILARITY=1 runs the full reference path"
                : previous.mismatch(modelFile, TfidfModelFile.FILE_NAME, neighborsFile, settings.describe());
        CatalogueChanges changes = null;
        if (reason == null) {
            ItemTextHashes.Catalogue before = run.step("read previous item hashes", () -> previous.catalogue(allocator));
            ItemTextHashes.Catalogue after = new ItemTextHashes.Catalogue(ItemTextHashes.ids(itemIds), textHashes);
            changes = run.step("compare catalogues", () -> CatalogueChanges.between(before, after));
            stats.put("previous_items", changes.oldItems());
            stats.put("added", changes.added());
            stats.put("changed", changes.changed());
            stats.put("removed", changes.removed());
            if (!changes.orderKept()) {
                reason = "the unchanged items are not in the order of " + previousDir + " (score ties would break differently)";
            }
        }
        if (reason != null) {
            notMerged(run, reason);
            fullRun.run();
            return false;
        }
        CatalogueChanges found = changes;
        run.log().infof("Incremental: %d items, %d added, %d changed, %d removed since %s", found.newItems(), found.added(),
                found.changed(), found.removed(), previousDir);
        ExactRows[] workers = new ExactRows[settings.engine().threads()];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new ExactRows(text, textTransposed, PairScorer.cosine(), settings.topK());
        }
        int capacity = settings.topK() + previous.spares(sparesFile);
        List<Path> spareFiles = previous.spares(sparesFile) > 0 ? previous.files(sparesFile) : List.of();
        long rows;
        IncrementalMerge.Stats merged;
        try (NeighborsWriter writer = NeighborsWriter.open(run.outputFile(neighborsFile), itemIds, allocator)) {
            merged = run.step("similarity (incremental merge)", () -> IncrementalMerge.run(workers, capacity, found,
                    () -> new PreviousNeighbors(previous.files(neighborsFile), spareFiles, capacity, allocator), writer::accept,
                    ExactRows.bytesFor(found.newItems())));
            rows = writer.rows();
        }
        run.recordOutput(neighborsFile, rows);
        run.log().infof("Incremental: scored %d dirty and %d knocked-out rows whole (%.2f%% of %d), merged %d candidate pairs into the rest",
                merged.dirtyRows(), merged.knockedRows(), 100.0 * (merged.dirtyRows() + merged.knockedRows()) / Math.max(1, found.newItems()),
                found.newItems(), merged.candidatePairs());
        stats.put("mode", "merged");
        stats.put("previous_spares", capacity - settings.topK());
        stats.put("dirty_rows", merged.dirtyRows());
        stats.put("knocked_rows", merged.knockedRows());
        stats.put("candidate_pairs", merged.candidatePairs());
        return true;
    }
}
