package dev.recstage.content.vector;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HNSW index's parameters: {@code m} neighbours per node on the upper levels (2m on level 0),
 * {@code efConstruction} the beam width while building, {@code efSearch} the beam width of each
 * item's search (at least K: its best K are the vector neighbours), {@code seed} the levels' draw.
 */
public record HnswParameters(int m, int efConstruction, int efSearch, long seed) {
    /** The levels' seed: fixed, so that a run's graph is the same every time. */
    public static final long SEED = 42L;

    public Map<String, Object> describe() {
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("m", m);
        described.put("ef_construction", efConstruction);
        described.put("ef_search", efSearch);
        described.put("seed", seed);
        return described;
    }
}
