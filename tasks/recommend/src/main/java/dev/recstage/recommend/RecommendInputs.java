package dev.recstage.recommend;

import dev.recstage.core.cli.StageException;
import dev.recstage.core.features.FeaturesInput;
import dev.recstage.core.io.InputDirectory;
import dev.recstage.core.io.Manifest;
import java.nio.file.Path;

/**
 * The three inputs of a recommend run, checked to belong together: the neighbour directories
 * must be finished, unsharded outputs that were computed from this very features run (by the
 * {@code run_id} of its manifest, which theirs record under {@code input_runs}). Anything else is
 * exit 3 naming the directories.
 */
public record RecommendInputs(FeaturesInput features, InputDirectory content, InputDirectory behavior) {
    public static final String CONTENT_STAGE = "content-similarity";
    public static final String CONTENT_FILE = "content_neighbors.arrow";
    public static final String BEHAVIOR_STAGE = "behavior-cooccurrence";
    public static final String BEHAVIOR_FILE = "behavior_neighbors.arrow";

    public static RecommendInputs open(Path features, Path content, Path behavior) {
        FeaturesInput featuresInput = FeaturesInput.open(features);
        InputDirectory contentInput = InputDirectory.open(content, CONTENT_STAGE);
        InputDirectory behaviorInput = InputDirectory.open(behavior, BEHAVIOR_STAGE);
        contentInput.file(CONTENT_FILE);
        behaviorInput.file(BEHAVIOR_FILE);
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

    private static void requireSameRun(InputDirectory neighbors, Path features, String featuresRunId) {
        String read = neighbors.manifest().inputRuns.get(FeaturesInput.STAGE);
        if (!featuresRunId.equals(read)) {
            throw StageException.input(neighbors.dir().resolve(Manifest.FILE_NAME) + " was computed from features run "
                    + (read == null ? "(unrecorded)" : read) + ", but " + features + " is features run " + featuresRunId
                    + ": neighbour files from another features run; rerun " + neighbors.manifest().stage + " on " + features);
        }
    }

    /** A shard holds the neighbours of some items only: recommending from it would silently miss the others. */
    private static void requireWhole(InputDirectory neighbors) {
        String shard = neighbors.manifest().config.get("shard");
        if (shard != null && !shard.equals("0/1")) {
            throw StageException.input(neighbors.dir() + " is shard " + shard + " of its stage's output: recommend needs the whole "
                    + "neighbour lists (run the stage without --shard)");
        }
    }

    Path contentFile() {
        return content.file(CONTENT_FILE);
    }

    Path behaviorFile() {
        return behavior.file(BEHAVIOR_FILE);
    }

    long contentRows() {
        return content.manifest().output(CONTENT_FILE).rows();
    }

    long behaviorRows() {
        return behavior.manifest().output(BEHAVIOR_FILE).rows();
    }

    /** The most neighbours per item a source lists: its top K from its manifest, at most {@code items - 1}. */
    static int longestRow(InputDirectory neighbors, String topKKey, int items) {
        String k = neighbors.manifest().config.get(topKKey);
        int bound = Math.max(0, items - 1);
        try {
            return k == null ? bound : Math.min(bound, Integer.parseInt(k));
        } catch (NumberFormatException e) {
            return bound;
        }
    }
}
