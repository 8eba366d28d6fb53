package dev.recstage.content.vector;

import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

/**
 * Lucene's view of the vectors for building and searching the graph: the score of two ordinals is
 * their cosine (the dot product of unit vectors), computed by {@link Dot} straight from the
 * row-major array (no copy per vector, no Lucene codec). Stateless, so one instance serves every
 * thread.
 */
final class UnitRowScorers implements RandomVectorScorerSupplier {
    private final UnitRows rows;
    private final Dot dot;

    UnitRowScorers(UnitRows rows, Dot dot) {
        this.rows = rows;
        this.dot = dot;
    }

    /** Cosine of two ordinals. */
    float score(int a, int b) {
        int d = rows.dimension;
        return dot.dot(rows.values, a * d, rows.values, b * d, d);
    }

    @Override
    public RandomVectorScorer scorer(int query) {
        int size = rows.size();
        return new RandomVectorScorer() {
            @Override
            public float score(int node) {
                return UnitRowScorers.this.score(query, node);
            }

            @Override
            public int maxOrd() {
                return size;
            }
        };
    }

    @Override
    public RandomVectorScorerSupplier copy() {
        return this;
    }
}
