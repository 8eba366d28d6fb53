package dev.recstage.content;

import dev.recstage.content.incremental.IncrementalConfig;
import dev.recstage.core.cli.StageException;
import dev.recstage.core.config.SimilarityConfig;
import dev.recstage.core.config.SimilarityOptions;
import dev.recstage.core.config.SwitchesConfig;
import dev.recstage.core.stage.StageRun;
import jakarta.inject.Inject;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code content-similarity}: TF-IDF (and optionally embedding) neighbours of every item. */
@Command(name = "content-similarity", mixinStandardHelpOptions = true,
        description = "Top-K content neighbours of every item: TF-IDF cosine over the item text, "
                + "blended with embedding cosine when the features have embeddings.")
public class ContentSimilarityCommand implements Runnable {
    static final String STAGE = "content-similarity";

    @Option(names = "--features", required = true, paramLabel = "DIR", description = "Output directory of the features stage.")
    Path features;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (replaced atomically).")
    Path out;

    @Option(names = "--top-k", paramLabel = "K", description = "Neighbours per item (default SIMILARITY_TOP_K, 200).")
    Integer topK;

    @Mixin
    SimilarityOptions similarityOptions;

    @Option(names = "--model", paramLabel = "FILE",
            description = "A saved tfidf_model.arrow to score with instead of fitting a model on these items.")
    Path model;

    @Option(names = "--previous", paramLabel = "DIR",
            description = "Incremental: a full content-similarity output scored with the same --model; only the items new or "
                    + "changed since it are scored and merged into it (equal to a full run). Falls back to a full run, saying why, "
                    + "when that output cannot be merged into (another model or settings, embeddings blended in, items reordered).")
    Path previous;

    @Inject
    IncrementalConfig incremental;

    @Inject
    SimilarityConfig similarity;

    @Inject
    SwitchesConfig switches;

    @Inject
    ContentConfig content;

    @Inject
    TfidfConfig tfidf;

    @Inject
    VectorIndexConfig vectorIndex;

    private int spares(ContentSettings settings) {
        int spares = incremental.spares();
        if (spares < 0) {
            throw StageException.usage("CONTENT_INCREMENTAL_SPARES must be 0 or more, got " + spares);
        }
        return spares;
    }

    @Override
    public void run() {
        ContentSettings settings = ContentSettings.resolve(topK, similarityOptions, similarity, switches, content, tfidf, vectorIndex);
        if (previous != null && (model == null || settings.shard().count() > 1)) {
            throw StageException.usage("--previous needs --model (the model the previous output was scored with) and no --shard: "
                    + "an incremental run writes every item's neighbours");
        }
        try (StageRun run = StageRun.start(STAGE, out)) {
            new ContentSimilarityRun(run, settings, features, model, previous, spares(settings)).execute();
        }
    }
}
