package dev.recstage.core.engine;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** One random problem for the engine: a matrix (and its transpose), a scorer and K. */
record EngineCase(CsrMatrix a, CsrMatrix aT, PairScorer scorer, int k, Dense.Values kind) {

    private static final PairScorer[] SCORERS = {
        PairScorer.dot(), PairScorer.dot().withMinCommon(2), PairScorer.count(),
        PairScorer.count().withMinCommon(3), PairScorer.jaccard(), PairScorer.jaccard().withMinCommon(2),
    };

    int rows() {
        return a.rows();
    }

    /** Random sizes (including 0 and 1 rows, 1 column, K ≥ N), densities, value kinds and scorers. */
    static Arbitrary<EngineCase> any() {
        return Arbitraries.randomValue(random -> generate(random, SCORERS[random.nextInt(SCORERS.length)],
                Dense.Values.values()[random.nextInt(Dense.Values.values().length)]));
    }

    /** Cases the pruned path runs on: plain dot, positive values, tie-heavy more often than not. */
    static Arbitrary<EngineCase> prunable() {
        Dense.Values[] kinds = {Dense.Values.TIES, Dense.Values.BINARY, Dense.Values.POSITIVE, Dense.Values.TIES};
        return Arbitraries.randomValue(random -> generate(random, PairScorer.dot(), kinds[random.nextInt(kinds.length)]));
    }

    /**
     * Cases the approximating search runs on: plain dot on positive matrices with a few columns
     * most rows use (see {@link Dense#randomWithCommonColumns}); K from 1 to beyond N.
     */
    static Arbitrary<EngineCase> withCommonColumns() {
        Dense.Values[] kinds = {Dense.Values.TIES, Dense.Values.BINARY, Dense.Values.POSITIVE};
        return Arbitraries.randomValue(random -> {
            Dense.Values kind = kinds[random.nextInt(kinds.length)];
            int rows = 2 + random.nextInt(random.nextBoolean() ? 30 : 150);
            int cols = 1 + random.nextInt(40);
            int commonCols = 1 + random.nextInt(Math.min(cols, 6));
            CsrMatrix a = Dense.toCsr(Dense.randomWithCommonColumns(random, rows, cols, commonCols, kind), cols);
            if (random.nextBoolean()) {
                a = a.normalizeRows(); // cosine
            }
            int k = random.nextInt(5) == 0 ? rows - 1 + random.nextInt(3) : 1 + random.nextInt(Math.max(1, Math.min(12, rows / 3)));
            return new EngineCase(a, a.transpose(), PairScorer.dot(), Math.max(1, k), kind);
        });
    }

    private static EngineCase generate(Random random, PairScorer scorer, Dense.Values kind) {
        int rows = random.nextInt(10) == 0 ? random.nextInt(2) : 2 + random.nextInt(40);
        int cols = 1 + random.nextInt(random.nextBoolean() ? 6 : 25);
        double density = new double[] {0.05, 0.15, 0.3, 0.6, 0.95}[random.nextInt(5)];
        CsrMatrix a = Dense.toCsr(Dense.random(random, rows, cols, density, kind), cols);
        if (random.nextBoolean()) {
            a = a.normalizeRows(); // cosine
        }
        int k = random.nextInt(4) == 0 ? rows + random.nextInt(3) : 1 + random.nextInt(Math.max(1, Math.min(6, rows)));
        return new EngineCase(a, a.transpose(), scorer, Math.max(1, k), kind);
    }

    @Override
    public String toString() {
        float[][] dense = Dense.toDense(a);
        String matrix = Arrays.stream(dense).map(Arrays::toString).collect(Collectors.joining("\n  "));
        return "EngineCase[" + kind + ", " + scorer + ", k=" + k + ", " + a + "]\n  " + matrix;
    }
}
