package dev.recstage.content;

import dev.recstage.content.vector.HnswParameters;
import dev.recstage.core.cli.StageException;
import dev.recstage.core.config.Settings;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How the vector neighbours are found: {@code exact} (all pairs, {@code VectorBlendSearch}),
 * {@code hnsw} (an approximate index, {@code HnswBlendSearch}) or {@code auto}: exact below
 * {@link #AUTO_HNSW_FROM_ITEMS} items, HNSW from there on.
 */
public record VectorIndexSettings(Choice choice, HnswParameters hnsw) {
    /**
     * The crossover (README, "Choosing VECTOR_INDEX"): at 100,000 items bench/vectors measured the
     * exact path in 222 CPU s (its kernel 60, growing as n²) and the HNSW path in 336 (its graph build
     * and searches about 175, growing as n·log n; the blend's text scores cost both the same), so
     * the two meet near 300,000 items. Extrapolated, not measured at that size.
     */
    public static final int AUTO_HNSW_FROM_ITEMS = 300_000;
    /** Lucene's bounds for a graph it writes (Lucene99HnswVectorsFormat); m = 1 has no level distribution. */
    static final int MAX_M = 512;
    static final int MAX_EF_CONSTRUCTION = 3200;

    public enum Choice { AUTO, EXACT, HNSW }

    /** Validated settings; {@code topK} bounds ef_search from below when the index is asked for by name. */
    static VectorIndexSettings resolve(VectorIndexConfig config, int topK) {
        Choice choice;
        try {
            choice = Choice.valueOf(config.index().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw StageException.usage("VECTOR_INDEX=" + config.index() + ": choose auto, exact or hnsw");
        }
        int m = Settings.within("VECTOR_HNSW_M", config.hnswM(), 2, MAX_M);
        int efConstruction = Settings.within("VECTOR_HNSW_EF_CONSTRUCTION", config.hnswEfConstruction(), 1, MAX_EF_CONSTRUCTION);
        int efSearch = Settings.positive("VECTOR_HNSW_EF_SEARCH", config.hnswEfSearch());
        VectorIndexSettings settings = new VectorIndexSettings(choice, new HnswParameters(m, efConstruction, efSearch, HnswParameters.SEED));
        if (choice == Choice.HNSW) {
            settings.requireBeamHolds(topK);
        }
        return settings;
    }

    /**
     * The index's parameters when a run over {@code items} items uses it, else null. With
     * {@code auto} a beam below K is refused only here, when the index is chosen, so that a small
     * catalogue with a large K still runs exactly.
     */
    public HnswParameters hnswFor(int items, int topK) {
        if (!useHnsw(items)) {
            return null;
        }
        requireBeamHolds(topK);
        return hnsw;
    }

    private void requireBeamHolds(int topK) {
        if (hnsw.efSearch() < topK) {
            throw StageException.usage("VECTOR_HNSW_EF_SEARCH=" + hnsw.efSearch() + " is below the neighbours kept (SIMILARITY_TOP_K / --top-k "
                    + topK + "): the search's beam must hold at least K items; raise it, or set VECTOR_INDEX=exact");
        }
    }

    /** True when a run over {@code items} items uses the HNSW index. */
    public boolean useHnsw(int items) {
        return choice == Choice.HNSW || (choice == Choice.AUTO && items >= AUTO_HNSW_FROM_ITEMS);
    }

    Map<String, String> describe() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("VECTOR_INDEX", choice.name().toLowerCase(Locale.ROOT));
        config.put("VECTOR_HNSW_M", Integer.toString(hnsw.m()));
        config.put("VECTOR_HNSW_EF_CONSTRUCTION", Integer.toString(hnsw.efConstruction()));
        config.put("VECTOR_HNSW_EF_SEARCH", Integer.toString(hnsw.efSearch()));
        return config;
    }
}
