package dev.recstage.recommend;

import dev.recstage.core.config.Settings;
import dev.recstage.core.config.SimilarityConfig;
import dev.recstage.core.stage.StageRun;
import jakarta.inject.Inject;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = RecommendStage.STAGE, mixinStandardHelpOptions = true,
        description = "Related items (blend of behaviour and content neighbours) and per-user recommendations "
                + "(item-based scoring of each history): features + neighbours -> " + RecommendStage.RELATED_FILE + ", "
                + RecommendStage.USERS_FILE + ". Settings: RELATED_TOP_N, USER_TOP_N, RELATED_BEHAVIOR_WEIGHT, "
                + "RELATED_CONTENT_WEIGHT, RECOMMEND_INCLUDE_SEEN, RECOMMEND_HALF_LIFE_DAYS, RECOMMEND_MAX_HISTORY, "
                + "RECOMMEND_BATCH_SIZE, RECOMMEND_PASSES, SIMILARITY_THREADS, BEHAVIOR_EVENT_WEIGHTS, BEHAVIOR_AGGREGATION.")
public class RecommendCommand implements Runnable {
    @Option(names = "--features", required = true, paramLabel = "DIR", description = "Output directory of the features stage.")
    Path features;

    @Option(names = "--content", required = true, paramLabel = "DIR", description = "Output directory of content-similarity on those features.")
    Path content;

    @Option(names = "--behavior", required = true, paramLabel = "DIR", description = "Output directory of behavior-cooccurrence on those features.")
    Path behavior;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (replaced atomically).")
    Path out;

    @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default SIMILARITY_THREADS, else the available processors).")
    Integer threads;

    @Option(names = "--batch-size", paramLabel = "USERS", description = "Users scored per block (default RECOMMEND_BATCH_SIZE, 1000).")
    Integer batchSize;

    @Inject
    RecommendConfig config;

    @Inject
    RecommendHistoryConfig history;

    @Inject
    SimilarityConfig similarity;

    @Override
    public void run() {
        RecommendSettings settings = RecommendSettings.of(config, history,
                Settings.override(threads, similarity.threads().orElse(Runtime.getRuntime().availableProcessors())),
                Settings.override(batchSize, config.recommendBatchSize()));
        RecommendInputs inputs = RecommendInputs.open(features, content, behavior);
        try (StageRun run = StageRun.start(RecommendStage.STAGE, out)) {
            new RecommendStage(run, inputs, settings).execute();
            run.commit();
        }
    }
}
