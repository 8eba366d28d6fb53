package dev.recstage.content;

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

    @Inject
    SimilarityConfig similarity;

    @Inject
    SwitchesConfig switches;

    @Inject
    ContentConfig content;

    @Inject
    TfidfConfig tfidf;

    @Override
    public void run() {
        ContentSettings settings = ContentSettings.resolve(topK, similarityOptions, similarity, switches, content, tfidf);
        try (StageRun run = StageRun.start(STAGE, out)) {
            new ContentSimilarityRun(run, settings, features, model).execute();
        }
    }
}
