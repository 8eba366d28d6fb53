package dev.recstage.recommend;

import dev.recstage.core.cli.StageException;
import dev.recstage.core.features.FeaturesInput;
import dev.recstage.core.io.InputDirectory;
import dev.recstage.core.io.Manifest;
import dev.recstage.core.io.StageOutput;
import java.nio.file.Path;
import java.util.List;

/**
 * The three inputs of a recommend run, checked to belong together: each neighbour directory must
 * be a finished output, unsharded or a complete set of shards ({@link StageOutput}, read as one
 * table in shard order), every part of it computed from this very features run (by the
 * {@code run_id} of its manifest, which theirs record under {@code input_runs}). An incomplete set
 * of shards, a lone shard given as a whole output, a shard of another features run: exit 3 naming
 * the directory.
 */
public record RecommendInputs(FeaturesInput features, StageOutput content, StageOutput behavior) {
    public static final String CONTENT_STAGE = "content-similarity";
    public static final String CONTENT_FILE = "content_neighbors.arrow";
    public static final String BEHAVIOR_STAGE = "behavior-cooccurrence";
    public static final String BEHAVIOR_FILE = "behavior_neighbors.arrow";

    public static RecommendInputs open(Path features, Path content, Path behavior) {
        FeaturesInput featuresInput = FeaturesInput.open(features);
        StageOutput contentInput = StageOutput.open(content, CONTENT_STAGE);
        StageOutput behaviorInput = StageOutput.open(behavior, BEHAVIOR_STAGE);
        contentInput.files(CONTENT_FILE);
        behaviorInput.files(BEHAVIOR_FILE);
        String runId = featuresInput.directory().manifest().runId;
        if (runId == null) {
            throw StageException.input(features.resolve(Manifest.FILE_NAME) + " has no run_id (written by an older recstage): "
                    + "rerun features, then content-similarity and behavior-cooccurrence on its output");
        }
        requireSameRun(contentInput, features, runId);
        requireSameRun(behaviorInput, features, runId);
        requireWhole(contentInput);
        requireWhole(behaviorInput);
        return new RecommendInputs(featuresInput, contentInput, behaviorInput);
    }

    /** Every shard, not only the first: a set of shards mixed from two features runs is refused too. */
    private static void requireSameRun(StageOutput neighbors, Path features, String featuresRunId) {
        for (InputDirectory part : neighbors.parts()) {
            String read = part.manifest().inputRuns.get(FeaturesInput.STAGE);
            if (!featuresRunId.equals(read)) {
                throw StageException.input(part.dir().resolve(Manifest.FILE_NAME) + " was computed from features run "
                        + (read == null ? "(unrecorded)" : read) + ", but " + features + " is features run " + featuresRunId
                        + ": neighbour files from another features run; rerun " + part.manifest().stage + " on " + features);
            }
        }
    }

    /**
     * A lone shard given as the output (its own directory, not a {@code shard-i-of-n/} of a set)
     * holds the neighbours of some items only: recommending from it would silently miss the others.
     */
    private static void requireWhole(StageOutput neighbors) {
        if (neighbors.sharded()) {
            return;
        }
        String shard = neighbors.firstManifest().config.get("shard");
        if (shard != null && !shard.equals("0/1")) {
            throw StageException.input(neighbors.dir() + " is shard " + shard + " of its stage's output alone: recommend needs the whole "
                    + "neighbour lists (give the directory holding every shard-<i>-of-<n>/, or run the stage without --shard)");
        }
    }

    List<Path> contentFiles() {
        return content.files(CONTENT_FILE);
    }

    List<Path> behaviorFiles() {
        return behavior.files(BEHAVIOR_FILE);
    }

    long contentRows() {
        return content.rows(CONTENT_FILE);
    }

    long behaviorRows() {
        return behavior.rows(BEHAVIOR_FILE);
    }

    /** The most neighbours per item a source lists: its top K from its manifest, at most {@code items - 1}. */
    static int longestRow(StageOutput neighbors, String topKKey, int items) {
        String k = neighbors.firstManifest().config.get(topKKey);
        int bound = Math.max(0, items - 1);
        try {
            return k == null ? bound : Math.min(bound, Integer.parseInt(k));
        } catch (NumberFormatException e) {
            return bound;
        }
    }
}
