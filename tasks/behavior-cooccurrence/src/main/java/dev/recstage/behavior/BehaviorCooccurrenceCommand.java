package dev.recstage.behavior;

import dev.recstage.core.config.EngineOptions;
import dev.recstage.core.config.Shard;
import dev.recstage.core.config.SimilarityConfig;
import dev.recstage.core.config.SimilarityOptions;
import dev.recstage.core.config.SwitchesConfig;
import dev.recstage.core.features.FeaturesInput;
import dev.recstage.core.stage.StageRun;
import jakarta.inject.Inject;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = BehaviorStage.STAGE, mixinStandardHelpOptions = true,
        description = "Item-to-item neighbours from co-occurrence in user histories: features -> "
                + BehaviorStage.OUTPUT_FILE + ". Settings: BEHAVIOR_EVENT_WEIGHTS, BEHAVIOR_AGGREGATION, "
                + "BEHAVIOR_HALF_LIFE_DAYS, BEHAVIOR_MAX_ITEMS_PER_USER, BEHAVIOR_METRIC, BEHAVIOR_MIN_COOCCURRENCE, "
                + "BEHAVIOR_SIMILARITY_TOP_K, SIMILARITY_BATCH_SIZE, SIMILARITY_THREADS, USE_LEGACY_SIMILARITY.")
public class BehaviorCooccurrenceCommand implements Runnable {
    @Option(names = "--features", required = true, description = "Output directory of the features stage.")
    Path features;

    @Option(names = "--out", required = true, description = "Output directory (replaced atomically).")
    Path out;

    @Option(names = "--top-k", description = "Neighbours per item (default BEHAVIOR_SIMILARITY_TOP_K, else SIMILARITY_TOP_K).")
    Integer topK;

    @Mixin
    SimilarityOptions similarityOptions;

    @Inject
    BehaviorConfig behavior;

    @Inject
    SimilarityConfig similarity;

    @Inject
    SwitchesConfig switches;

    @Override
    public void run() {
        BehaviorSettings settings = BehaviorSettings.of(behavior, similarity.topK(), topK);
        EngineOptions options = similarityOptions.engine(similarity, switches);
        Shard shard = similarityOptions.shard();
        FeaturesInput input = FeaturesInput.open(features);
        try (StageRun run = StageRun.start(BehaviorStage.STAGE, out)) {
            new BehaviorStage(run, input, settings, options, shard).execute();
            run.commit();
        }
    }
}
