package dev.recstage.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The single-row searches a caller loops over itself ({@link TopKEngine#rowSearches}) against the
 * engine's own run, and the canonical pair products ({@link RowDots}) against the oracle's scores.
 */
class RowSearchesPropertyTest {

    @Provide
    Arbitrary<EngineCase> anyCase() {
        return Arbitraries.oneOf(EngineCase.any(), EngineCase.withCommonColumns(), EngineCase.prunable());
    }

    @Property(tries = 300)
    void eachRowsListIsTheRunsList(@ForAll("anyCase") EngineCase c, @ForAll boolean pruning) {
        TopKEngine engine = new TopKEngine(2, 5, pruning);
        Supplier<RowTopK> searches = engine.rowSearches(c.a(), c.aT(), c.scorer(), c.k());
        // Two searches taking the rows in turn: each one's scratch must leave no trace between rows.
        RowTopK[] threads = {searches.get(), searches.get()};
        int[] neighbors = new int[c.k()];
        float[] scores = new float[c.k()];
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < c.rows(); i++) {
            int count = threads[i % 2].search(i, neighbors, scores, 0);
            lines.add(Output.line(i, neighbors, scores, count));
        }
        assertEquals(Output.of(engine, c.a(), c.aT(), c.scorer(), c.k(), 0, c.rows()), lines, c::toString);
    }

    /**
     * What a caller may rule out with {@link RowTopK#scoreAtMost}: never a row that scores more
     * (the bound is at least the canonical score, RowDots' bits); and, for a plain dot product on
     * positive values without pruning (the scorer's score is then that dot product), a bound that
     * says something: within a few ulps of the score.
     */
    @Property(tries = 300)
    void scoreAtMostBoundsEveryScoreUntilTheNextSearch(@ForAll("anyCase") EngineCase c, @ForAll boolean pruning) {
        TopKEngine engine = new TopKEngine(1, 5, pruning);
        RowTopK search = engine.rowSearches(c.a(), c.aT(), c.scorer(), c.k()).get();
        boolean tight = !ScatterSearch.needsCounts(c.a(), c.scorer()) && !engine.prunes(c.a(), c.scorer());
        RowDots dots = new RowDots(c.a());
        int[] neighbors = new int[c.k()];
        float[] scores = new float[c.k()];
        for (int i = 0; i < c.rows(); i++) {
            search.search(i, neighbors, scores, 0);
            dots.load(i);
            for (int j = 0; j < c.rows(); j++) {
                if (j == i) {
                    continue;
                }
                float score = dots.dot(j);
                float bound = search.scoreAtMost(j);
                String pair = "rows " + i + " and " + j + " of " + c;
                assertTrue(bound >= score, () -> pair + ": bound " + bound + " below the score " + score);
                if (tight) {
                    assertTrue(bound <= score * (1 + 0x1p-10f) + 0x1p-100f, () -> pair + ": bound " + bound + " far above the score " + score);
                }
            }
        }
    }

    @Property(tries = 100)
    void pairProductsAreTheOraclesDotProductBits(@ForAll("anyCase") EngineCase c) {
        float[][] dense = Dense.toDense(c.a());
        RowDots dots = new RowDots(c.a());
        for (int i = 0; i < c.rows(); i++) {
            dots.load(i);
            for (int j = 0; j < c.rows(); j++) {
                double sum = 0;
                for (int t = 0; t < dense[i].length; t++) {
                    if (dense[i][t] != 0 && dense[j][t] != 0) {
                        sum += (double) dense[i][t] * dense[j][t];
                    }
                }
                String pair = "rows " + i + " and " + j + " of " + c;
                assertEquals(Float.floatToIntBits((float) sum), Float.floatToIntBits(dots.dot(j)), pair);
            }
        }
    }
}
