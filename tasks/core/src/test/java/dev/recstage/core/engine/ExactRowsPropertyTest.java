package dev.recstage.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Single rows as the engine computes them: each row's top K, and every score of a row, symmetric on a dot product. */
class ExactRowsPropertyTest {

    @Provide
    Arbitrary<EngineCase> anyCase() {
        return EngineCase.any();
    }

    @Provide
    Arbitrary<EngineCase> commonColumnsCase() {
        return EngineCase.withCommonColumns();
    }

    @Property(tries = 300)
    void topKOfEveryRowEqualsTheEngines(@ForAll("anyCase") EngineCase c) {
        List<String> expected = Output.of(new TopKEngine(2, 5), c.a(), c.aT(), c.scorer(), c.k(), 0, c.rows());
        ExactRows rows = new ExactRows(c.a(), c.aT(), c.scorer(), c.k());
        int[] neighbors = new int[c.k()];
        float[] scores = new float[c.k()];
        List<String> actual = new ArrayList<>();
        for (int i = 0; i < c.rows(); i++) {
            actual.add(Output.line(i, neighbors, scores, rows.topK(i, neighbors, scores)));
        }
        assertEquals(expected, actual, c::toString);
    }

    /**
     * On the approximating search's matrices too: every score of a row, and the best K of them, are
     * the engine's, and so is the top K written from the same scatter.
     */
    @Property(tries = 300)
    void everyScoreIsSymmetricAndItsBestKAreTheEngines(@ForAll("commonColumnsCase") EngineCase c) {
        ExactRows rows = new ExactRows(c.a(), c.aT(), PairScorer.cosine(), c.k());
        List<String> expected = Output.of(new TopKEngine(2, 5), c.a(), c.aT(), PairScorer.cosine(), c.k(), 0, c.rows());
        List<Map<Integer, Float>> all = new ArrayList<>();
        List<String> sameScatter = new ArrayList<>();
        int[] topNeighbors = new int[c.k()];
        float[] topScores = new float[c.k()];
        for (int i = 0; i < c.rows(); i++) {
            Map<Integer, Float> row = new HashMap<>();
            int count = rows.forEachScoreAndTopK(i, row::put, topNeighbors, topScores);
            sameScatter.add(Output.line(i, topNeighbors, topScores, count));
            all.add(row);
        }
        assertEquals(expected, sameScatter, c::toString);
        List<String> fromScores = new ArrayList<>();
        int[] neighbors = new int[c.rows()];
        float[] scores = new float[c.rows()];
        for (int i = 0; i < c.rows(); i++) {
            int n = 0;
            for (Map.Entry<Integer, Float> pair : all.get(i).entrySet()) {
                assertEquals(Float.floatToRawIntBits(pair.getValue()), Float.floatToRawIntBits(all.get(pair.getKey()).get(i)),
                        () -> "s(i, j) != s(j, i) in " + c);
                neighbors[n] = pair.getKey();
                scores[n++] = pair.getValue();
            }
            fromScores.add(Output.line(i, neighbors, scores, rows.best(neighbors, scores, n, neighbors, scores)));
        }
        assertEquals(expected, fromScores, c::toString);
    }
}
