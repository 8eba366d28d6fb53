package dev.recstage.core.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** The old system's on/off switches, kept under their names {@code USE_LEGACY_SIMILARITY} and {@code USE_FAISS_RECALL}. */
@ConfigMapping(prefix = "use")
public interface SwitchesConfig {
    /** Full N×N reference path instead of the sparse engine (tests and rollback only). */
    @WithName("legacy-similarity")
    @WithDefault("0")
    Flag legacySimilarity();

    /** Vector neighbours on embeddings (no Faiss involved; the name is the old system's). */
    @WithName("faiss-recall")
    @WithDefault("1")
    Flag faissRecall();
}
